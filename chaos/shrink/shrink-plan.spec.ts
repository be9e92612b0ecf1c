import { FakeClock, SyntheticFailure, oneRemovals, range, syntheticRunner } from '@imagery/testing/shrink/synthetic-run';
import { classifyRun, type TargetFailure } from './candidate-outcome';
import type { ShrinkLogEntry } from './shrink-log';
import { ShrinkPlan, shrink } from './shrink-plan';
import { selectionKey, type ShrinkSubject } from './shrink-subject';

type Subject = ShrinkSubject<string, number>;

/** A failing run: 6 faults, 200 journeys, 20 s of warm-up and 10 s of tail. */
const failingRun: Subject = { faults: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'], journeys: range(200), warmupSeconds: 20, tailSeconds: 10 };

/** Loses an image when fault f2 hits journeys 37 and 151 together, after at least 3 s of warm-up. */
const lostWithF2: SyntheticFailure<string, number> = (s) =>
  s.faults.includes('f2') && s.journeys.includes(37) && s.journeys.includes(151) && s.warmupSeconds >= 3 ? ['nothing-lost'] : undefined;

const NOTHING_LOST: TargetFailure = { invariants: ['nothing-lost'] };

function shrinkWith(failure: SyntheticFailure<string, number>, over: Partial<ShrinkPlan<string, number>> = {}, subject = failingRun) {
  const clock = new FakeClock();
  const runner = syntheticRunner(failure, clock);
  const log: ShrinkLogEntry[] = [];
  const result = shrink(subject, {
    runCandidate: runner.runCandidate,
    target: NOTHING_LOST,
    now: clock.now,
    budgetMs: 24 * 3_600_000,
    onCandidate: (entry) => log.push(entry),
    ...over,
  });
  return { result, log, runner, clock };
}

/** Brute force: no one-element removal of the subject's faults or journeys fails the same. */
function expectOneMinimal(subject: Subject, failure: SyntheticFailure<string, number>, target = NOTHING_LOST) {
  const judge = (s: Subject) => {
    const verdict = failure(s);
    const run =
      verdict === undefined
        ? { outcome: 'PASS' as const, invariants: [] }
        : typeof verdict === 'string'
          ? { outcome: verdict, invariants: [] }
          : { outcome: 'FAIL' as const, invariants: verdict };
    return classifyRun(run, target);
  };
  expect(judge(subject)).toBe('fails-same');
  for (const faults of oneRemovals(subject.faults)) expect(judge({ ...subject, faults })).not.toBe('fails-same');
  for (const journeys of oneRemovals(subject.journeys)) expect(judge({ ...subject, journeys })).not.toBe('fails-same');
}

describe('shrink', () => {
  it('reduces faults, then journeys, then warm-up and tail, to a 1-minimal run failing the same', async () => {
    const { result: pending, log } = shrinkWith(lostWithF2);
    const result = await pending;
    expect(result.reproduced).toBe(true);
    expect(result.minimal).toEqual({ faults: ['f2'], journeys: [37, 151], warmupSeconds: 5, tailSeconds: 1 });
    expect(result.oneMinimal).toBe(true);
    expectOneMinimal(result.minimal, lostWithF2);
    expect(result.before).toEqual({ faults: 6, journeys: 200, warmupSeconds: 20, tailSeconds: 10 });
    expect(result.after).toEqual({ faults: 1, journeys: 2, warmupSeconds: 5, tailSeconds: 1 });
    // The order of the plan: reproduce, faults, journeys, durations, the final one-removal pass.
    const order = log.map((e) => e.dimension).filter((d, i, all) => d !== all[i - 1]);
    expect(order).toEqual(['reproduce', 'faults', 'journeys', 'warm-up', 'tail', 'final faults', 'final journeys']);
    // Never the same candidate twice.
    expect(new Set(log.map((e) => selectionKey(e.selection))).size).toBe(log.length);
    expect(result.runs).toBe(log.length);
    // The tail's floor (1 s) is tried first and fails the same: one run. The warm-up's (1 s) passes: halvings follow.
    const runsOf = (dimension: string) => result.phases.find((p) => p.dimension === dimension)?.runs;
    expect([runsOf('warm-up'), runsOf('tail')]).toEqual([4, 1]);
    // Measured: 50 runs (reproduce 1, faults 6, journeys 35 for 2 culprits among 200, warm-up 4, tail 1, final pass 3).
    expect(result.runs).toBeLessThanOrEqual(55);
  });

  it('repeats the final pass until nothing changes: one removal can make another possible', async () => {
    // Over 5 s of warm-up the loss needs f1 and f3, journeys 4 and 9; at 5 s or less f3 is needed only while journey 9 runs.
    const entangled: SyntheticFailure<string, number> = (s) => {
      const has = (f: string, j: number) => s.faults.includes(f) && s.journeys.includes(j);
      const needs = s.warmupSeconds > 5 ? has('f3', 9) : s.faults.includes('f3') || !s.journeys.includes(9);
      return has('f1', 4) && s.warmupSeconds >= 3 && needs ? ['nothing-lost'] : undefined;
    };
    const result = await shrinkWith(entangled, {}, { ...failingRun, journeys: range(12) }).result;
    expect(result.minimal).toEqual({ faults: ['f1'], journeys: [4], warmupSeconds: 5, tailSeconds: 1 });
    expect(result.oneMinimal).toBe(true);
    expectOneMinimal(result.minimal, entangled);
    expect(result.phases.map((p) => p.dimension).filter((d) => d === 'final faults')).toHaveLength(3);
  });

  it('answers a candidate it already ran from its cache (the final pass meets the journeys pass again)', async () => {
    // Warm-up and tail already at their floors: the final pass's one-journey removals are those ddmin ended with.
    const { result: pending, log } = shrinkWith(
      (s) => lostWithF2({ ...s, warmupSeconds: 3 }),
      {},
      { ...failingRun, warmupSeconds: 1, tailSeconds: 1 },
    );
    const result = await pending;
    expect(result.minimal).toEqual({ faults: ['f2'], journeys: [37, 151], warmupSeconds: 1, tailSeconds: 1 });
    expect(result.cacheHits).toBeGreaterThanOrEqual(2);
    expect(result.phases.find((p) => p.dimension === 'final journeys')?.runs).toBe(0);
    expect(new Set(log.map((e) => selectionKey(e.selection))).size).toBe(log.length);
  });

  it('needs far fewer runs when the journeys of the violated images are tried first', async () => {
    const plain = await shrinkWith(lostWithF2).result;
    const focused = await shrinkWith(lostWithF2, { isFocusJourney: (j) => j === 37 || j === 151 }).result;
    expect(focused.minimal).toEqual(plain.minimal);
    expect(focused.oneMinimal).toBe(true);
    // The guess is one run, before the faults; ddmin over the two journeys left then tries their two one-removals.
    const runsOf = (dimension: string) => focused.phases.find((p) => p.dimension === dimension)?.runs;
    expect(runsOf('focus journeys')).toBe(1);
    expect(focused.phases.map((p) => p.dimension).slice(0, 2)).toEqual(['focus journeys', 'faults']);
    expect(runsOf('journeys')).toBeLessThanOrEqual(2);
    expect(focused.runs).toBeLessThan(plain.runs - 25);
  });

  it('runs the faults phase on the focus journeys alone: cheap candidates when a run costs per journey', async () => {
    // A run of the platform costs more the more journeys it carries (its load, drain and final check).
    const perJourney = (s: Subject) => 20 + s.journeys.length / 10;
    const focus = { isFocusJourney: (j: number) => j === 37 || j === 151 };
    const clock = new FakeClock();
    const runner = syntheticRunner(lostWithF2, clock, perJourney);
    const result = await shrink(failingRun, { runCandidate: runner.runCandidate, target: NOTHING_LOST, now: clock.now, ...focus });
    expect(result.minimal).toEqual({ faults: ['f2'], journeys: [37, 151], warmupSeconds: 5, tailSeconds: 1 });
    // Only the reproduction carried all 200 journeys; every fault candidate carried the two.
    expect(runner.ran.filter((s) => s.journeys.length === 200)).toHaveLength(1);
    const faultCandidates = runner.ran.slice(2, 2 + result.phases.find((p) => p.dimension === 'faults')!.runs);
    expect(faultCandidates.length).toBeGreaterThan(0);
    for (const s of faultCandidates) expect(s.journeys).toEqual([37, 151]);
  });

  it('ignores a wrong focus guess: ddmin still finds the journeys', async () => {
    const result = await shrinkWith(lostWithF2, { isFocusJourney: (j) => j === 37 }).result;
    expect(result.minimal.journeys).toEqual([37, 151]);
  });

  it('stops within its budget with the smallest failing run found, not marked 1-minimal', async () => {
    const { result: pending, log, clock } = shrinkWith(lostWithF2, { budgetMs: 10 * 60_000 });
    const result = await pending;
    // 40 s runs in 10 minutes: at most 15, and no run started that would end after the budget.
    expect(result.runs).toBeLessThanOrEqual(15);
    expect(clock.ms).toBeLessThanOrEqual(10 * 60_000);
    expect(result.budgetExhausted).toBe(true);
    expect(result.oneMinimal).toBe(false);
    expect(lostWithF2(result.minimal)).toEqual(['nothing-lost']);
    expect(result.after.faults).toBe(1);
    expect(result.after.journeys).toBeLessThan(200);
    expect(log.at(-1)?.elapsedMs).toBeLessThanOrEqual(10 * 60_000);
  });

  it('shrinks nothing when the whole run does not fail the same again', async () => {
    const result = await shrinkWith(() => 'INCONCLUSIVE').result;
    expect(result.reproduced).toBe(false);
    expect(result.runs).toBe(1);
    expect(result.minimal).toEqual(failingRun);
    expect(result.oneMinimal).toBe(false);
  });

  it('keeps a fault whose removal makes the run fail differently, unless told to keep one invariant only', async () => {
    // Without f4 the run also fails to drain: a different failure.
    const drainsWithF4: SyntheticFailure<string, number> = (s) => {
      const lost = lostWithF2(s);
      return lost && !s.faults.includes('f4') ? [...lost, 'drained'] : lost;
    };
    const same = await shrinkWith(drainsWithF4).result;
    expect(same.minimal.faults).toEqual(['f2', 'f4']);
    expectOneMinimal(same.minimal, drainsWithF4);
    const onlyLost = await shrinkWith(drainsWithF4, { target: { invariants: ['nothing-lost'], only: 'nothing-lost' } }).result;
    expect(onlyLost.minimal.faults).toEqual(['f2']);
  });

  it('with confirmations, does not adopt a candidate whose failure does not come back', async () => {
    // f2 alone loses the image only on its first run: a flaky reproduction.
    const runsOf = new Map<string, number>();
    const flaky: SyntheticFailure<string, number> = (s) => {
      const key = JSON.stringify(s);
      runsOf.set(key, (runsOf.get(key) ?? 0) + 1);
      return s.faults.length === 1 && runsOf.get(key)! > 1 ? undefined : lostWithF2(s);
    };
    const once = await shrinkWith(flaky).result;
    expect(once.minimal.faults).toEqual(['f2']);
    runsOf.clear();
    const { result: pending, log } = shrinkWith(flaky, { confirmations: 2 });
    const confirmed = await pending;
    expect(confirmed.minimal.faults).toHaveLength(2);
    expect(confirmed.minimal.faults).toContain('f2');
    expect(log.slice(0, 2).map((e) => [e.dimension, e.attempt, e.outcome])).toEqual([
      ['reproduce', 1, 'fails-same'],
      ['reproduce', 2, 'fails-same'],
    ]);
    expect(log.filter((e) => e.attempt === 2 && e.outcome === 'passes').length).toBeGreaterThan(0);
  });

  it('counts a run that throws as inconclusive and goes on', async () => {
    const clock = new FakeClock();
    const runner = syntheticRunner(lostWithF2, clock);
    const log: ShrinkLogEntry[] = [];
    const result = await shrink(failingRun, {
      runCandidate: (s) => (s.faults.length === 1 ? Promise.reject(new Error('platform did not start')) : runner.runCandidate(s)),
      target: NOTHING_LOST,
      now: clock.now,
      budgetMs: 24 * 3_600_000,
      onCandidate: (e) => log.push(e),
    });
    const errors = log.filter((e) => e.verdict === 'ERROR');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.outcome === 'inconclusive' && e.error === 'platform did not start')).toBe(true);
    expect(result.minimal.faults).toHaveLength(2);
    expect(result.minimal.faults).toContain('f2');
    expect(result.minimal.journeys).toEqual([37, 151]);
  });

  it('drops every fault when the failure needs none (a broken build fails without faults)', async () => {
    const result = await shrinkWith((s) => (s.journeys.includes(9) ? ['nothing-duplicated'] : undefined), {
      target: { invariants: ['nothing-duplicated'] },
    }).result;
    expect(result.minimal.faults).toEqual([]);
    expect(result.minimal.journeys).toEqual([9]);
    expect(result.oneMinimal).toBe(true);
  });

  it('reduces groups of faults that only act together first, in fewer runs, to the same 1-minimal run', async () => {
    // 40 requests, 3 faulted attempts each (`r7#2`: request 7's 2nd attempt); a message is lost only
    // when all 3 attempts of request 23 fail, and every attempt of a request needs the one before.
    const chains: Subject = { ...failingRun, faults: range(40).flatMap((r) => [1, 2, 3].map((a) => `r${r}#${a}`)), journeys: range(50) };
    const lostWhenChainFails: SyntheticFailure<string, number> = (s) =>
      ['r23#1', 'r23#2', 'r23#3'].every((f) => s.faults.includes(f)) && s.journeys.includes(23) ? ['nothing-lost'] : undefined;
    const plain = await shrinkWith(lostWhenChainFails, {}, chains).result;
    const grouped = await shrinkWith(lostWhenChainFails, { faultGroup: (f) => f.split('#')[0] }, chains).result;
    for (const result of [plain, grouped]) {
      expect(result.minimal.faults).toEqual(['r23#1', 'r23#2', 'r23#3']);
      expect(result.oneMinimal).toBe(true);
    }
    expectOneMinimal(grouped.minimal, lostWhenChainFails);
    const faultRuns = (r: typeof plain) => r.phases.find((p) => p.dimension === 'faults')!.runs;
    // Groups only: the 3 faults of the group left meet their one-removals in the final pass.
    expect([faultRuns(plain), faultRuns(grouped)]).toEqual([25, 10]); // measured; 16 when single faults had their own ddmin
    expect(grouped.runs).toBeLessThan(plain.runs);
  });

  it('leaves out of a journeys candidate the faults it cannot fire, without a run of their own', async () => {
    // Request r's faults can only fire while journey r runs: the focus run on journey 23 carries its 3 faults only.
    const chains: Subject = { ...failingRun, faults: range(40).flatMap((r) => [1, 2, 3].map((a) => `r${r}#${a}`)), journeys: range(50) };
    const requestOf = (f: string) => Number(f.slice(1).split('#')[0]);
    const lostWhenChainFails: SyntheticFailure<string, number> = (s) =>
      ['r23#1', 'r23#2', 'r23#3'].every((f) => s.faults.includes(f)) && s.journeys.includes(23) ? ['nothing-lost'] : undefined;
    const over = { faultGroup: (f: string) => f.split('#')[0], isFocusJourney: (j: number) => j === 23 };
    const kept = await shrinkWith(lostWhenChainFails, over, chains).result;
    const pruned = await shrinkWith(lostWhenChainFails, { ...over, canFire: (f, js) => js.includes(requestOf(f)) }, chains).result;
    for (const result of [kept, pruned]) {
      expect(result.minimal.faults).toEqual(['r23#1', 'r23#2', 'r23#3']);
      expect(result.minimal.journeys).toEqual([23]);
      expect(result.oneMinimal).toBe(true);
    }
    const focusRun = pruned.phases.find((p) => p.dimension === 'focus journeys')!;
    expect(focusRun.after).toMatchObject({ faults: 3, journeys: 1 });
    const faultRuns = (r: typeof kept) => r.phases.find((p) => p.dimension === 'faults')!.runs;
    expect(faultRuns(pruned)).toBe(1); // the one group left, tested without its faults
    expect(faultRuns(pruned)).toBeLessThan(faultRuns(kept));
  });
});
