import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scheduledApiFault } from '@imagery/testing/chaos/scheduled-faults';
import type { FaultSchedule, ScheduledFault } from '../nemesis/schedule/fault-schedule';
import type { PlatformSession } from '../../platform/local/session';
import { compareReplay, replayReport } from './replay';
import { ReplayRecord, effectiveFisSeed, readReplayRecord, replayWarnings } from '../report/replay-record';
import type { ExperimentRunOptions, ExperimentRunResult } from './experiment/run-options';

const ambiguous = (at: number, requestId: string): ScheduledFault =>
  scheduledApiFault(at, { match: { requestId, imageId: `img-${requestId}`, occurrence: 1 } });
const kill = (at: number): ScheduledFault => ({ type: 'kill', at, slot: 'api-2', action: 'terminate' });
const schedule = (...faults: ScheduledFault[]): FaultSchedule => ({ startsAt: 3_000, endsAt: 18_000, faults });
const recorded = schedule(ambiguous(4_000, 'r-1-2'), kill(5_000), ambiguous(9_000, 'r-7-2'));

const record = (over: Partial<ReplayRecord> = {}): ReplayRecord => ({
  experiment: 'kill-api',
  seed: 3,
  seedExplicit: false,
  fisSeed: 101,
  commit: 'abc123',
  dirty: false,
  build: 'seed',
  options: {
    rate: 5,
    warmupSeconds: 3,
    tailSeconds: 5,
    maxFaultSeconds: 15,
    badShare: 0.1,
    drainTimeoutMs: 20_000,
    processTimeoutSeconds: 30,
    sepiaSample: 10,
  },
  workloadOptions: { scenario: 'steady', rate: 5, seed: 3, runTag: 's3-x' },
  workload: { version: 1, runTag: 's3-x', seed: 3, fixtures: { seed: 3, maxUploadBytes: 1_000_000 }, durationMs: 15_000, journeys: [] },
  schedule: recorded,
  fired: recorded,
  verdict: 'FAIL',
  violations: [{ invariant: 'no-duplicate-object', ids: ['img-r-7-2'] }],
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

/** A platform and a runner that record what they were asked; the replayed run's report carries `replayed`. */
function fakes(replayed: Partial<ReplayRecord> = {}) {
  const calls = { started: [] as Array<[string, number]>, runs: [] as ExperimentRunOptions[], closed: 0, lines: [] as string[] };
  const session = {
    close: () => {
      calls.closed++;
      return Promise.resolve();
    },
  } as unknown as PlatformSession;
  const deps = {
    startPlatform: (build: string, seed: number) => (calls.started.push([build, seed]), Promise.resolve(session)),
    runExperiment: (_s: PlatformSession, options: ExperimentRunOptions): Promise<ExperimentRunResult> => {
      calls.runs.push(options);
      const report = { replay: record({ schedule: options.schedule, ...replayed }) };
      return Promise.resolve({ reportDir: dir, report: report as unknown as ExperimentRunResult['report'] });
    },
    reportsDir: dir,
    log: (l: string) => calls.lines.push(l),
    status: () => undefined,
    commit: () => ({ commit: 'abc123', dirty: false }),
  };
  return { calls, deps };
}

describe('replay: a recorded run, executed again', () => {
  it('executes the recorded schedule and workload with the recorded options on a fresh platform, and reports a match', async () => {
    const { calls, deps } = fakes();
    const outcome = await replayReport(writeReport({ replay: record() }), deps);
    expect(calls.started).toEqual([['seed', 3]]);
    expect(calls.runs[0]).toMatchObject({
      experiment: 'kill-api',
      seed: 3,
      runTag: 's3-x',
      rate: 5,
      warmupSeconds: 3,
      tailSeconds: 5,
      drainTimeoutMs: 20_000,
      processTimeoutSeconds: 30,
      schedule: recorded,
      recordedWorkload: { journeys: [] },
    });
    expect(calls.closed).toBe(1);
    expect(outcome.comparison.matched).toBe(true);
    expect(calls.lines).toContain('replay MATCHED: 3 of 3 recorded faults fired again within ±2 s (3 fired)');
  });

  it('an edited schedule (one fault dropped) runs as edited, and the dropped fault is reported missing', async () => {
    const edited = schedule(ambiguous(4_000, 'r-1-2'), kill(5_000));
    const { calls, deps } = fakes({ fired: edited });
    const outcome = await replayReport(writeReport({ replay: record({ schedule: edited }) }), deps);
    expect(calls.runs[0].schedule).toEqual(edited);
    expect(outcome.comparison.matched).toBe(false);
    expect(calls.lines.join('\n')).toMatch(
      /replay DIFFERS: 2 of 3 .*\n {2}missing: api worker dynamodb:UpdateItem ambiguous in r-7-2 image img-r-7-2 #1 at 9\.0 s did not fire/,
    );
  });

  it('replays the workload knobs a catcher added (late creates, rival uploads), and none that were not', async () => {
    const { calls, deps } = fakes();
    await replayReport(writeReport({ replay: record({ workloadOptions: { runTag: 's3-x', rivalUploadShare: 0.2 } }) }), deps);
    await replayReport(writeReport({ replay: record() }), deps);
    expect(calls.runs.map((r) => r.workload)).toEqual([{ rivalUploadShare: 0.2 }, undefined]);
  });
});

describe('compareReplay: what counts as the same run', () => {
  it('a fault within ±2 s is the same; beyond, its time is reported', () => {
    expect(
      compareReplay(record(), record({ fired: schedule(ambiguous(5_900, 'r-1-2'), kill(3_100), ambiguous(9_000, 'r-7-2')) })).matched,
    ).toBe(true);
    const late = compareReplay(record(), record({ fired: schedule(ambiguous(4_000, 'r-1-2'), kill(7_500), ambiguous(9_000, 'r-7-2')) }));
    expect(late.differences).toEqual(['time: kill terminate api-2 fired at 7.5 s, recorded at 5.0 s (+2.5 s, beyond ±2.0 s)']);
  });

  it('a fault only the replay fired, a different verdict, or a violation on another image: not a match', () => {
    const c = compareReplay(
      record(),
      record({
        fired: schedule(...recorded.faults, ambiguous(12_000, 'r-9-1')),
        verdict: 'PASS',
        violations: [{ invariant: 'no-duplicate-object', ids: ['img-r-1-2'] }],
      }),
    );
    expect(c.matched).toBe(false);
    expect(c.differences).toEqual([
      'extra: api worker dynamodb:UpdateItem ambiguous in r-9-1 image img-r-9-1 #1 at 12.0 s fired only in the replay',
      'verdict: PASS, recorded FAIL',
      'violation missing: no-duplicate-object on img-r-7-2',
      'violation extra: no-duplicate-object on img-r-1-2',
    ]);
  });
});

describe('replay: what it warns about and refuses', () => {
  it('warns when the checkout is another commit, and still closes the platform when the run throws', async () => {
    const { calls, deps } = fakes();
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
    const { deps, calls } = fakes();
    await expect(replayReport(writeReport({ verdict: 'PASS' }), deps)).rejects.toThrow(/has no "replay" block/);
    await expect(replayReport(writeReport({ replay: { ...record(), seed: 'x', options: {} } }), deps)).rejects.toThrow(
      /replay\.seed: Expected number.*\n.*replay\.options\.rate/s,
    );
    await expect(replayReport(join(dir, 'missing.json'), deps)).rejects.toThrow(/cannot read/);
    expect(calls.started).toEqual([]);
  });

  it('a record of a dirty tree, or without a recorded workload, is warned about', () => {
    expect(replayWarnings(record({ dirty: true, workload: undefined }), { commit: 'abc123', dirty: false })).toEqual([
      'the recorded run had uncommitted changes: its code is not exactly its commit',
      'the report holds no recorded workload: the replay regenerates the journeys from the seed and run tag',
    ]);
    expect(() => readReplayRecord(null, 'r.json')).toThrow(/r.json has no "replay" block/);
  });
});

describe('the seeds of a run', () => {
  it('--seed overrides the template tag; without it the template tag wins, then the run seed', () => {
    expect(effectiveFisSeed(1, true, { seed: '101' })).toBe(1);
    expect(effectiveFisSeed(1, false, { seed: '101' })).toBe(101);
    expect(effectiveFisSeed(1, false, { Name: 'x' })).toBe(1);
    expect(effectiveFisSeed(4, false, undefined)).toBe(4);
  });
});
