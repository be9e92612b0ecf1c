import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, SyntheticFailure, range, syntheticRunner } from '@imagery/testing/shrink/synthetic-run';
import { shrinkOutputsIn } from './shrink-files';
import type { ShrinkLogEntry } from './shrink-log';
import { ShrinkTarget, shrinkRun } from './shrink-run';
import type { ShrinkSubject } from './shrink-subject';

type Subject = ShrinkSubject<string, number>;

const failingRun: Subject = {
  faults: ['kill worker-1', 'UpdateItem 500', 'toxic s3'],
  journeys: range(20),
  warmupSeconds: 8,
  tailSeconds: 4,
};
const lostWithUpdateItem: SyntheticFailure<string, number> = (s) =>
  s.faults.includes('UpdateItem 500') && s.journeys.includes(6) ? ['nothing-lost'] : undefined;

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'shrink-run-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function harness(failure: SyntheticFailure<string, number>, invariants = ['nothing-lost'], budgetMs = 3_600_000) {
  const clock = new FakeClock();
  const runner = syntheticRunner(failure, clock, (s) => s.warmupSeconds + s.tailSeconds + 18);
  const lines: string[] = [];
  const calls = { closed: 0, reproductions: [] as Array<{ minimal: Subject; dir: string }> };
  const target: ShrinkTarget<string, number> = {
    subject: failingRun,
    invariants,
    runCandidate: runner.runCandidate,
    writeReproduction: (minimal, into) => {
      calls.reproductions.push({ minimal, dir: into });
      const path = join(into, 'minimal-experiment.json');
      writeFileSync(path, '{}');
      return Promise.resolve([path]);
    },
    close: () => {
      calls.closed += 1;
      return Promise.resolve();
    },
  };
  const deps = {
    openTarget: () => Promise.resolve(target),
    openOutputs: shrinkOutputsIn,
    now: clock.now,
    log: (l: string) => lines.push(l),
  };
  const request = { reportPath: 'chaos/reports/x/report.json', budgetMs, confirmations: 1, outDir: join(dir, 'out') };
  return { deps, request, lines, calls, runner };
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

describe('shrinkRun', () => {
  it('writes the log, the minimal subject, a summary and the reproduction; exits 0 when 1-minimal', async () => {
    const { deps, request, lines, calls, runner } = harness(lostWithUpdateItem);
    const outcome = await shrinkRun(request, deps);
    expect(outcome.exitCode).toBe(0);
    const out = join(dir, 'out');
    const minimal = { faults: ['UpdateItem 500'], journeys: [6], warmupSeconds: 1, tailSeconds: 1 };
    expect(readJson(join(out, 'minimal-subject.json'))).toEqual(minimal);
    expect(readJson(join(out, 'shrink-summary.json'))).toMatchObject({
      report: request.reportPath,
      invariants: ['nothing-lost'],
      reproduced: true,
      oneMinimal: true,
      before: { faults: 3, journeys: 20, warmupSeconds: 8, tailSeconds: 4 },
      after: { faults: 1, journeys: 1, warmupSeconds: 1, tailSeconds: 1 },
      runs: runner.ran.length,
      runSeconds: { before: 30, after: 20 },
    });
    const log = readFileSync(join(out, 'shrink-log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ShrinkLogEntry);
    expect(log).toHaveLength(runner.ran.length);
    expect(log.map((e) => e.candidate)).toEqual(range(log.length).map((i) => i + 1));
    expect(log[0]).toMatchObject({ dimension: 'reproduce', outcome: 'fails-same', verdict: 'FAIL', invariants: ['nothing-lost'] });
    expect(calls.reproductions).toEqual([{ minimal, dir: out }]);
    expect(outcome.files).toEqual([
      join(out, 'shrink-log.jsonl'),
      join(out, 'minimal-subject.json'),
      join(out, 'shrink-summary.json'),
      join(out, 'minimal-experiment.json'),
    ]);
    // One progress line per candidate, then the summary.
    expect(lines.filter((l) => l.startsWith('shrink #'))).toHaveLength(runner.ran.length);
    const summary = lines.find((l) => l.startsWith('shrunk '));
    expect(summary).toMatch(/^shrunk 3 faults, 20 journeys, warm-up 8 s, tail 4 s → 1 fault, 1 journey, warm-up 1 s, tail 1 s; 1-minimal/);
    expect(summary).toMatch(/; a run took 30 s, now 20 s$/);
    expect(calls.closed).toBe(1);
  });

  it('exits 3 when the budget ends first, with the smallest failing subject written', async () => {
    // Four runs of the original's 30 s.
    const { deps, request, calls } = harness(lostWithUpdateItem, ['nothing-lost'], 4 * 30_000);
    const outcome = await shrinkRun(request, deps);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.result.runs).toBeLessThanOrEqual(4);
    const written = readJson(join(dir, 'out', 'minimal-subject.json')) as Subject;
    expect(lostWithUpdateItem(written)).toEqual(['nothing-lost']);
    expect(written.faults.length).toBeLessThan(3);
    expect(calls.reproductions).toHaveLength(1);
  });

  it('exits 1 and writes no reproduction when the failure does not come back', async () => {
    const { deps, request, calls, lines } = harness(() => undefined);
    const outcome = await shrinkRun(request, deps);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.result.runs).toBe(1);
    expect(calls.reproductions).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/did not reproduce/));
    expect(readJson(join(dir, 'out', 'shrink-summary.json'))).toMatchObject({ reproduced: false, oneMinimal: false });
  });

  it('refuses a run with no violated invariant, or an invariant it did not violate, and closes the target', async () => {
    const none = harness(lostWithUpdateItem, []);
    await expect(shrinkRun(none.request, none.deps)).rejects.toThrow(/violated no invariant/);
    expect(none.calls.closed).toBe(1);
    const other = harness(lostWithUpdateItem);
    await expect(shrinkRun({ ...other.request, invariant: 'monotonic' }, other.deps)).rejects.toThrow(
      /did not violate monotonic; it violated nothing-lost/,
    );
    expect(other.calls.closed).toBe(1);
    expect(other.runner.ran).toEqual([]);
  });
});
