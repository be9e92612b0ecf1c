import { clock, progressLine, type ShrinkLogEntry } from './shrink-log';

describe('progressLine', () => {
  it('shows the step, the dimension, sizes before and now, the candidate tried, runs, elapsed over budget, the outcome', () => {
    const entry: ShrinkLogEntry = {
      candidate: 12,
      dimension: 'journeys',
      selection: { faults: [2], journeys: [1, 2, 3], warmupSeconds: 20, tailSeconds: 10 },
      outcome: 'fails-differently',
      verdict: 'FAIL',
      invariants: ['drained', 'drained'],
      seconds: 41.25,
      elapsedMs: 190_000,
      sizes: {
        before: { faults: 6, journeys: 200, warmupSeconds: 20, tailSeconds: 10 },
        now: { faults: 1, journeys: 50, warmupSeconds: 20, tailSeconds: 10 },
        candidate: { faults: 1, journeys: 38, warmupSeconds: 20, tailSeconds: 10 },
      },
    };
    expect(progressLine(entry, 15 * 60_000)).toBe(
      'shrink #12 journeys: faults 6→1 · journeys 200→50 (tried 38) · warm-up 20→20 s · tail 10→10 s · 12 runs · 3m10s/15m00s · ' +
        'fails-differently (FAIL [drained], 41.3 s)',
    );
  });
});

describe('clock', () => {
  it('prints minutes and seconds', () => {
    expect(clock(0)).toBe('0m00s');
    expect(clock(65_400)).toBe('1m05s');
  });
});
