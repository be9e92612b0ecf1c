import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultSchedule } from '../nemesis/fault-schedule';
import type { PlatformSession } from '../../platform/local/session';
import { replayReport } from './replay';
import { ReplayRecord, effectiveFisSeed, fleetGenerations, readReplayRecord, replayWarnings } from '../report/replay-record';
import type { ExperimentRunOptions, ExperimentRunResult } from './experiment/run-options';

const schedule = (calls: number[]): FaultSchedule => ({
  apiFaults: [
    {
      slot: 'worker-1',
      generation: 0,
      rule: 'fis/x/seed-7',
      calls: calls.map((call) => ({ call, operation: 'UpdateItem', fault: 'ambiguous' })),
    },
  ],
  kills: [{ slot: 'api-2', generation: 0, how: 'terminated', cause: 'kill' }],
});

const record = (over: Partial<ReplayRecord> = {}): ReplayRecord => ({
  experiment: 'kill-api',
  seed: 3,
  seedExplicit: false,
  fisSeed: 101,
  platformSeed: 3,
  commit: 'abc123',
  dirty: false,
  build: 'real',
  options: { rate: 5, warmupSeconds: 3, tailSeconds: 5, maxFaultSeconds: 15, badShare: 0.1, drainTimeoutMs: 120_000, sepiaSample: 10 },
  workload: { SCENARIO: 'steady', RATE: 5, SEED: 3 },
  schedule: schedule([2, 5, 9]) as ReplayRecord['schedule'],
  ...over,
});

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'replay-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writeReport = (content: unknown) => {
  const path = join(dir, 'report.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
};

/** A platform and a runner that record what they were asked; the run's report carries `replayedSchedule`. */
function fakes(replayedSchedule: FaultSchedule) {
  const calls = { started: [] as Array<[string, number]>, runs: [] as ExperimentRunOptions[], closed: 0, lines: [] as string[] };
  const session = {
    close: () => {
      calls.closed++;
      return Promise.resolve();
    },
  } as unknown as PlatformSession;
  const report = { verdict: 'PASS', replay: record({ schedule: replayedSchedule as ReplayRecord['schedule'] }) };
  const deps = {
    startPlatform: (build: string, seed: number) => (calls.started.push([build, seed]), Promise.resolve(session)),
    runExperiment: (_s: PlatformSession, options: ExperimentRunOptions): Promise<ExperimentRunResult> => {
      calls.runs.push(options);
      return Promise.resolve({ reportDir: dir, report: report as unknown as ExperimentRunResult['report'] });
    },
    reportsDir: dir,
    log: (l: string) => calls.lines.push(l),
    status: () => undefined,
    commit: () => ({ commit: 'abc123', dirty: false }),
  };
  return { calls, deps };
}

describe('replay: a recorded run, again', () => {
  it('reruns with everything recorded on a fresh platform with the fleet seed, and reports a match', async () => {
    const { calls, deps } = fakes(schedule([2, 5, 9]));
    const outcome = await replayReport(writeReport({ verdict: 'PASS', replay: record() }), deps);
    expect(calls.started).toEqual([['real', 3]]);
    expect(calls.runs).toHaveLength(1);
    expect(calls.runs[0]).toMatchObject({
      experiment: 'kill-api',
      seed: 3,
      seedExplicit: false,
      fisSeed: 101,
      rate: 5,
      warmupSeconds: 3,
      tailSeconds: 5,
      maxFaultSeconds: 15,
      badShare: 0.1,
      sepiaSample: 10,
    });
    expect(calls.closed).toBe(1);
    expect(outcome.warnings).toEqual([]);
    expect(outcome.comparison.identical).toBe(true);
    expect(calls.lines).toContain('fault schedule: identical');
  });

  it('replays the workload knobs a catcher added (late creates, rival uploads), and none that were not', async () => {
    const { calls, deps } = fakes(schedule([2, 5, 9]));
    await replayReport(writeReport({ replay: record({ workload: { runTag: 's3-x', rivalUploadShare: 0.2 } }) }), deps);
    await replayReport(writeReport({ replay: record() }), deps);
    expect(calls.runs.map((r) => r.workload)).toEqual([{ rivalUploadShare: 0.2 }, undefined]);
    expect(calls.runs[0].runTag).toBe('s3-x');
  });

  it('says so when the schedule differs', async () => {
    const { calls, deps } = fakes(schedule([2, 6, 9]));
    const outcome = await replayReport(writeReport({ replay: record() }), deps);
    expect(outcome.comparison.matched).toBe(false);
    expect(calls.lines.join('\n')).toMatch(
      /fault schedule: DIFFERENT\n {2}differs: worker-1 generation 0, rule fis\/x\/seed-7: run A faulted call 5 .*run B faulted call 6/,
    );
  });
});

describe('replay: what it warns about and refuses', () => {
  it('warns when the checkout is another commit, and still closes the platform when the run throws', async () => {
    const { calls, deps } = fakes(schedule([]));
    deps.commit = () => ({ commit: 'def456', dirty: true });
    deps.runExperiment = () => Promise.reject(new Error('boom'));
    await expect(replayReport(writeReport({ replay: record() }), deps)).rejects.toThrow('boom');
    expect(calls.lines.filter((l) => l.startsWith('warning:'))).toEqual([
      'warning: the run was recorded at commit abc123, this checkout is def456: the code differs',
      'warning: this checkout has uncommitted changes',
    ]);
    expect(calls.closed).toBe(1);
  });

  it('a report without a replay block, or with a broken one, is refused with what is wrong', async () => {
    const { deps, calls } = fakes(schedule([]));
    await expect(replayReport(writeReport({ verdict: 'PASS' }), deps)).rejects.toThrow(/has no "replay" block/);
    await expect(replayReport(writeReport({ replay: { ...record(), seed: 'x', options: {} } }), deps)).rejects.toThrow(
      /replay\.seed: Expected number.*\n.*replay\.options\.rate/s,
    );
    await expect(replayReport(join(dir, 'missing.json'), deps)).rejects.toThrow(/cannot read/);
    expect(calls.started).toEqual([]);
  });
});

describe('the seeds of a run', () => {
  it('--seed overrides the template tag; without it the template tag wins, then the run seed', () => {
    expect(effectiveFisSeed(1, true, { seed: '101' })).toBe(1);
    expect(effectiveFisSeed(1, false, { seed: '101' })).toBe(101);
    expect(effectiveFisSeed(1, false, { Name: 'x' })).toBe(1);
    expect(effectiveFisSeed(4, false, undefined)).toBe(4);
  });

  it('a record of a dirty tree, or without the fleet seed, is warned about', () => {
    expect(
      replayWarnings(record({ dirty: true, platformSeed: undefined, fleetAtStart: { 'api-1': 0, 'worker-1': 1 } }), {
        commit: 'abc123',
        dirty: false,
      }),
    ).toEqual([
      'the recorded run had uncommitted changes: its code is not exactly its commit',
      'the recorded run does not say its fleet seed: the replay uses the run seed',
      'the recorded run started with worker-1 at generation 1 (earlier experiments on its platform); ' +
        "a fresh platform starts at 0, so those slots' faults differ",
    ]);
    expect(() => readReplayRecord(null, 'r.json')).toThrow(/r.json has no "replay" block/);
  });

  it('the fleet generations at the start of a run come from its launches and replacements', () => {
    expect(
      fleetGenerations([
        { type: 'launched', instance: 'i-api-1-1' },
        { type: 'launched', instance: 'i-worker-1-1' },
        { type: 'died', instance: 'i-worker-1-1' },
        { type: 'replaced', instance: 'i-worker-1-1', replacement: 'i-worker-1-2' },
        { type: 'launched', instance: 'i-worker-1-2' },
      ]),
    ).toEqual({ 'api-1': 0, 'worker-1': 1 });
  });
});
