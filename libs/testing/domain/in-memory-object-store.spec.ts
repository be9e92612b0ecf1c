import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ObjectNotFoundError } from '@imagery/domain/ports/object-store.port';
import { InMemoryObjectStore } from './in-memory-object-store';

describe('InMemoryObjectStore', () => {
  it('consumes the whole stream and serves the bytes back', async () => {
    const store = new InMemoryObjectStore();
    const body = Readable.from([Buffer.from('ab'), Buffer.from('cd')]);
    await store.put('upload/x', body, 'image/png');
    expect(body.readableEnded).toBe(true);
    expect(await buffer(await store.get('upload/x'))).toEqual(Buffer.from('abcd'));
    expect(store.object('upload/x')).toEqual({ bytes: Buffer.from('abcd'), contentType: 'image/png' });
  });

  it('overwrites the same key (deterministic keys: a retry replaces, never adds)', async () => {
    const store = new InMemoryObjectStore();
    await store.put('k', Readable.from([Buffer.from('1')]), 'a/b');
    await store.put('k', Readable.from([Buffer.from('2')]), 'a/b');
    expect(store.keys()).toEqual(['k']);
    expect(store.bytesOf('k')).toEqual(Buffer.from('2'));
  });

  it('rejects get of a missing key with ObjectNotFoundError', async () => {
    await expect(new InMemoryObjectStore().get('nope')).rejects.toEqual(new ObjectNotFoundError('nope'));
  });

  it('stores nothing when the body stream fails midway', async () => {
    const store = new InMemoryObjectStore();
    const failing = Readable.from(
      (function* () {
        yield Buffer.from('partial');
        throw new Error('decoder died');
      })(),
    );
    await expect(store.put('processed/x.jpg', failing, 'image/jpeg')).rejects.toThrow('decoder died');
    expect(store.has('processed/x.jpg')).toBe(false);
  });

  it('lists keys by prefix, sorted', async () => {
    const store = new InMemoryObjectStore();
    for (const key of ['processed/b.jpg', 'upload/a', 'processed/a.jpg']) await store.put(key, Readable.from([Buffer.from('x')]), 't');
    expect(store.keys('processed/')).toEqual(['processed/a.jpg', 'processed/b.jpg']);
    expect(store.keys()).toHaveLength(3);
  });

  it('serves copies: a reader cannot alter what is stored', async () => {
    const store = new InMemoryObjectStore();
    await store.put('k', Readable.from([Buffer.from('abc')]), 't');
    const read = await buffer(await store.get('k'));
    read[0] = 0;
    expect(store.bytesOf('k')).toEqual(Buffer.from('abc'));
  });

  it('presigns a fake URL that names the key and the expiry', async () => {
    expect(await new InMemoryObjectStore().presignGet('processed/a.jpg', 300)).toBe('https://objects.test/processed/a.jpg?expires=300');
  });
});
