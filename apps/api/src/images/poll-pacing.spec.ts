import { pollAfterSeconds, MAX_POLL_AFTER_SECONDS } from './poll-pacing';

describe('pollAfterSeconds', () => {
  const at = (state: 'created' | 'uploaded' | 'processed' | 'failed', waitedMs: number) =>
    pollAfterSeconds({ state, updatedAt: 1_000_000 }, 1_000_000 + waitedMs);

  it('gives no advice in the first 2 s of a wait (a quick job is seen as soon as the client looks)', () => {
    expect(at('uploaded', 0)).toBeUndefined();
    expect(at('uploaded', 1_999)).toBeUndefined();
  });

  it('advises half the wait so far, in whole seconds, growing with the wait', () => {
    expect(at('uploaded', 2_000)).toBe(1);
    expect(at('uploaded', 7_999)).toBe(3);
    expect(at('uploaded', 9_999)).toBe(4);
  });

  it('never advises more than the cap, however long the image waited', () => {
    expect(at('uploaded', 10 * 60_000)).toBe(MAX_POLL_AFTER_SECONDS);
  });

  it('advises nothing for an image that is not waiting for the worker', () => {
    for (const state of ['created', 'processed', 'failed'] as const) expect(at(state, 60_000)).toBeUndefined();
  });

  it('a clock behind the item (another host wrote it) gives no advice rather than a negative one', () => {
    expect(at('uploaded', -5_000)).toBeUndefined();
  });
});
