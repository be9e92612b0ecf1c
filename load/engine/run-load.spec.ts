import type { HistoryEntry, WorkloadEntry } from '@imagery/history/history-entry';
import { runLoad, type Journey, type LoadOptions } from './run-load';
import { ThresholdSet } from './thresholds';

/**
 * runLoad's gates, without any HTTP: the journeys here send no request, so nothing listens at
 * baseUrl. What is judged is what the history's workload `end` says, and how journeys count.
 */
describe('runLoad: gates that must not go blind', () => {
  const entries: HistoryEntry[] = [];
  const workload = () => entries.filter((e): e is WorkloadEntry => e.type === 'workload');
  /** A journey that always ends well. */
  const good: Journey = () => Promise.resolve({ ok: true, kind: 'good' });
  const options = (journey: Journey, extra: Partial<LoadOptions> = {}): LoadOptions => ({
    name: 'test',
    baseUrl: 'http://127.0.0.1:9',
    scenario: { executor: 'smoke', iterations: 2 },
    journey,
    seed: 1,
    runTag: 'rl',
    retry: { maxAttempts: 1, baseMs: 1, maxMs: 1 },
    history: { append: (e) => void entries.push(e) },
    replayOptions: {},
    progressIntervalMs: 3_600_000,
    ...extra,
  });
  beforeEach(() => (entries.length = 0));
  afterEach(() => jest.restoreAllMocks());

  it('writes the thresholds (and journey counts) into the `end` entry, evaluated before it', async () => {
    const result = await runLoad(options(good, { thresholds: { journey_failed: ['rate<=0.1'] } }));
    expect(result.outcome).toBe('completed');
    expect(workload().map((e) => e.phase)).toEqual(['start', 'end']);
    expect(entries[entries.length - 1]).toMatchObject({
      phase: 'end',
      outcome: 'completed',
      thresholds: [{ metric: 'journey_failed', expression: 'rate<=0.1', ok: true, value: 0 }],
      interrupted: 0,
      journeyErrors: 0,
    });
  });

  it('a throw while evaluating the thresholds leaves an `aborted` end saying why, never a clean `completed` one', async () => {
    jest.spyOn(ThresholdSet.prototype, 'evaluate').mockImplementation(() => {
      throw new Error('evaluation broke');
    });
    const run = runLoad(options(good, { thresholds: { checks: ['rate>=0.9'] } }));
    await expect(run).rejects.toThrow('evaluation broke');
    const ends = workload().filter((e) => e.phase === 'end');
    expect(ends).toEqual([expect.objectContaining({ outcome: 'aborted', reason: expect.stringContaining('evaluation broke') as unknown })]);
    expect(ends[0].thresholds).toBeUndefined();
  });

  it('a journey that throws (a bug) is a failed journey in journey_failed', async () => {
    const journey: Journey = (vu) => (vu.iteration === 0 ? Promise.reject(new Error('journey bug')) : good(vu));
    const result = await runLoad(options(journey, { thresholds: { journey_failed: ['rate<=0.1'] } }));
    expect(result.thresholds).toEqual([expect.objectContaining({ metric: 'journey_failed', ok: false, value: 0.5 })]);
    expect(result.summary.journeys).toMatchObject({ ok: 1, failed: 1, failedRate: 0.5 });
    expect(entries[entries.length - 1]).toMatchObject({ phase: 'end', journeyErrors: 1 });
  });

  it('journeys interrupted at the end of gracefulStop count, as failed journeys, and are reported', async () => {
    // ends only when interrupted, and then says ok: an interrupted journey must not count as ok
    const hang: Journey = (vu) =>
      new Promise((resolve) => vu.signal.addEventListener('abort', () => resolve({ ok: true, kind: 'good' }), { once: true }));
    const scenario = { executor: 'constant-arrival-rate' as const, rate: 20, duration: '100ms', maxVUs: 10, gracefulStop: '50ms' };
    const result = await runLoad(options(hang, { scenario, thresholds: { journey_failed: ['rate<=0.1'] } }));
    expect(result.outcome).toBe('completed');
    expect(result.summary.journeys).toMatchObject({ ok: 0, interrupted: 2, failedRate: 1 });
    expect(result.thresholds).toEqual([expect.objectContaining({ metric: 'journey_failed', ok: false, value: 1 })]);
    expect(entries[entries.length - 1]).toMatchObject({ phase: 'end', interrupted: 2 });
  });

  it('journeys interrupted by an abort signal count too', async () => {
    const stop = new AbortController();
    const hang: Journey = (vu) => {
      setTimeout(() => stop.abort(), 20);
      return new Promise((_, reject) => vu.signal.addEventListener('abort', () => reject(new Error('interrupted')), { once: true }));
    };
    const result = await runLoad(options(hang, { signal: stop.signal, thresholds: { journey_failed: ['rate<=0.1'] } }));
    expect(result.outcome).toBe('aborted');
    expect(result.summary.journeys).toMatchObject({ interrupted: 1, failedRate: 1 });
    expect(entries[entries.length - 1]).toMatchObject({ phase: 'end', outcome: 'aborted', reason: 'signal', interrupted: 1 });
  });
});
