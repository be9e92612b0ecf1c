import { CHAOS_CLIENT_RETRY } from './experiment/run-options';

/** The workload's backoff before retry n: min(maxMs, 200 ms × 2ⁿ⁻¹), jittered to 50–100 % (load/engine/virtual-user.ts). */
const RETRY_BASE_MS = 200;
const waitsMs = () =>
  Array.from({ length: CHAOS_CLIENT_RETRY.maxAttempts - 1 }, (_, i) => Math.min(CHAOS_CLIENT_RETRY.retryMaxMs, RETRY_BASE_MS * 2 ** i));

describe('a chaos client retries for longer than the experiments keep a dependency down', () => {
  it('spends at least 40 s on retries even at the shortest jitter (the longest single outage is 30 s)', () => {
    const span = waitsMs().reduce((a, b) => a + b, 0);
    expect(span * 0.5).toBeGreaterThanOrEqual(40_000);
    expect(span).toBeLessThanOrEqual(90_000); // and gives up within a journey's patience, not never
  });
});
