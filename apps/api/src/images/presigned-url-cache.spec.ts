import { ObjectStore } from '@imagery/domain';
import { InMemoryObjectStore, ManualClock } from '@imagery/testing/domain';
import { PresignedUrlCache } from './presigned-url-cache';

/** An in-memory store whose presigned URLs say which signing they came from. */
function countingStore(): { store: ObjectStore; signings: () => number } {
  const inner = new InMemoryObjectStore();
  let n = 0;
  const store = Object.assign(Object.create(inner) as ObjectStore, {
    presignGet: async (key: string, ttl: number) => `${await inner.presignGet(key, ttl)}&n=${++n}`,
  });
  return { store, signings: () => n };
}

describe('PresignedUrlCache', () => {
  it('signs once per object version and reuses the URL while it has at least a minute left', async () => {
    const { store, signings } = countingStore();
    const clock = new ManualClock();
    const cache = new PresignedUrlCache(store, 300, clock);
    const first = await cache.urlOf('processed/a.jpg', 3);
    expect(first).toContain('expires=300');
    clock.advance(239_000);
    expect(await cache.urlOf('processed/a.jpg', 3)).toBe(first);
    expect(signings()).toBe(1);
    clock.advance(1_001); // 59 s left: a client could not rely on it, so a fresh one
    const second = await cache.urlOf('processed/a.jpg', 3);
    expect(second).not.toBe(first);
    expect(signings()).toBe(2);
  });

  it('a new version or another object is signed apart', async () => {
    const { store, signings } = countingStore();
    const cache = new PresignedUrlCache(store, 300, new ManualClock());
    await cache.urlOf('processed/a.jpg', 3);
    expect(await cache.urlOf('processed/a.jpg', 4)).toContain('n=2');
    expect(await cache.urlOf('processed/b.jpg', 4)).toContain('n=3');
    expect(await cache.urlOf('processed/a.jpg', 3)).toContain('n=1');
    expect(signings()).toBe(3);
  });

  it('with a short TTL, a URL is reused for half of it at most', async () => {
    const { store } = countingStore();
    const clock = new ManualClock();
    const cache = new PresignedUrlCache(store, 10, clock);
    const first = await cache.urlOf('k', 1);
    clock.advance(5_000);
    expect(await cache.urlOf('k', 1)).toBe(first);
    clock.advance(1);
    expect(await cache.urlOf('k', 1)).not.toBe(first);
  });

  it('holds at most maxEntries, dropping the least recently signed', async () => {
    const { store } = countingStore();
    const cache = new PresignedUrlCache(store, 300, new ManualClock(), 2);
    const a = await cache.urlOf('a', 1);
    const b = await cache.urlOf('b', 1);
    await cache.urlOf('c', 1);
    expect(await cache.urlOf('b', 1)).toBe(b);
    expect(await cache.urlOf('a', 1)).not.toBe(a);
  });
});
