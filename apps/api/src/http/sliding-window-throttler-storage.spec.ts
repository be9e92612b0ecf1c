import { ManualClock } from '@imagery/testing/domain';
import { SlidingWindowThrottlerStorage } from './sliding-window-throttler-storage';

const TTL = 60_000;

describe('SlidingWindowThrottlerStorage', () => {
  it('lets `limit` hits through, then blocks for the block duration, then counts afresh', async () => {
    const clock = new ManualClock();
    const storage = new SlidingWindowThrottlerStorage(clock);
    const hit = () => storage.increment('client-a', TTL, 3, TTL, 'default');
    for (let i = 1; i <= 3; i++) expect(await hit()).toMatchObject({ totalHits: i, isBlocked: false, timeToBlockExpire: 0 });
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    clock.advance(30_000);
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    clock.advance(30_000);
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('the last window still counts in proportion to its overlap with the sliding one', async () => {
    const clock = new ManualClock();
    const storage = new SlidingWindowThrottlerStorage(clock);
    const hit = () => storage.increment('k', TTL, 10, TTL, 'default');
    for (let i = 0; i < 10; i++) await hit();
    clock.advance(TTL + TTL / 2); // half of the last window still overlaps: 5 of its 10 hits count
    for (let i = 0; i < 5; i++) expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(true);
  });

  it('clients, and windows long gone, do not count against each other', async () => {
    const clock = new ManualClock();
    const storage = new SlidingWindowThrottlerStorage(clock);
    await storage.increment('a', TTL, 1, TTL, 'default');
    expect((await storage.increment('b', TTL, 1, TTL, 'default')).isBlocked).toBe(false);
    expect((await storage.increment('a', TTL, 1, TTL, 'other')).isBlocked).toBe(false);
    clock.advance(2 * TTL);
    expect(await storage.increment('a', TTL, 1, TTL, 'default')).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 60 });
  });
});
