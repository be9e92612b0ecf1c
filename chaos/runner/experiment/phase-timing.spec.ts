import { LOAD_PHASE, PhaseClock, formatTiming, overheadOf } from './phase-timing';

describe("PhaseClock: where a run's wall time went", () => {
  it("times each phase in turn, counts a phase under way up to now, and the wall from the clock's start", async () => {
    let now = 1_000;
    const clock = new PhaseClock(() => now);
    now += 500; // before the first phase: in the wall, in no phase
    await clock.time('plan', () => Promise.resolve((now += 200)));
    let during: ReturnType<PhaseClock['timing']> | undefined;
    await clock.time('report', () => {
      now += 300;
      during = clock.timing(10);
      now += 100;
      return Promise.resolve();
    });
    expect(during).toEqual({
      planSeconds: 10,
      wallMs: 1_000,
      phases: [
        { phase: 'plan', ms: 200 },
        { phase: 'report', ms: 300 },
      ],
    });
    expect(clock.timing(10)).toEqual({
      planSeconds: 10,
      wallMs: 1_100,
      phases: [
        { phase: 'plan', ms: 200 },
        { phase: 'report', ms: 400 },
      ],
    });
  });

  it('records a phase that throws, and rethrows', async () => {
    let now = 0;
    const clock = new PhaseClock(() => now);
    await expect(clock.time('drain', () => Promise.reject(new Error('boom')).finally(() => (now += 50)))).rejects.toThrow('boom');
    expect(clock.timing(1).phases).toEqual([{ phase: 'drain', ms: 50 }]);
  });

  it('judges the wall against 1.05 × plan + 5 s, and prints the load beyond its plan', () => {
    const timing = (wallMs: number) => ({
      planSeconds: 100,
      wallMs,
      phases: [
        { phase: LOAD_PHASE, ms: 101_500 },
        { phase: 'final check', ms: 2_000 },
      ],
    });
    expect(overheadOf(timing(110_000))).toEqual({ overheadMs: 10_000, withinTarget: true });
    expect(overheadOf(timing(110_001))).toEqual({ overheadMs: 10_001, withinTarget: false });
    const table = formatTiming(timing(104_000));
    expect(table).toMatch(/^plan 100 s, wall 104\.00 s: overhead 4\.00 s \(target wall <= 110\.0 s: MEETS\)/);
    expect(table).toContain('1.50 s beyond the plan');
    expect(table).toMatch(/final check\s+2\.00 s/);
  });
});
