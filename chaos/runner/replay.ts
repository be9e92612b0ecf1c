import { readFileSync } from 'node:fs';
import { type FiredComparison, TIME_TOLERANCE_MS, compareFired } from '../nemesis/schedule/compare-fired';
import type { PlatformSession } from '../../platform/local/session';
import { ReplayRecord, ViolatedInvariant, currentCommit, readReplayRecord, replayWarnings } from '../report/replay-record';
import type { ExperimentRunOptions, ExperimentRunResult } from './experiment/run-options';

export interface ReplayDeps {
  /** A fresh platform of `build` (the recorded run's store and fleet state are not this one's). */
  startPlatform(build: string, seed: number): Promise<PlatformSession>;
  runExperiment(session: PlatformSession, options: ExperimentRunOptions): Promise<ExperimentRunResult>;
  readonly reportsDir: string;
  readonly log: (line: string) => void;
  readonly status: (line: string) => void;
  readonly commit?: () => { commit: string; dirty: boolean };
}

/** A replay against its recording: the faults fired, the verdict, the violated invariants with their images. */
export interface ReplayComparison {
  readonly matched: boolean;
  readonly fired: FiredComparison;
  /** Every difference, faults first, one line each. */
  readonly differences: readonly string[];
}

export interface ReplayOutcome {
  readonly record: ReplayRecord;
  readonly warnings: readonly string[];
  readonly result: ExperimentRunResult;
  readonly comparison: ReplayComparison;
}

/**
 * `npm run chaos -- replay <report.json>`: executes the recorded fault schedule exactly (compiled to
 * a local FIS template) under the recorded workload (or, when the report holds none, the workload
 * the same seed and run tag generate) on a fresh platform, then compares what came out with the
 * recording.
 */
export async function replayReport(reportPath: string, deps: ReplayDeps): Promise<ReplayOutcome> {
  const record = readLocalReplayRecord(reportPath);
  const warnings = replayWarnings(record, (deps.commit ?? currentCommit)());
  for (const w of warnings) deps.log(`warning: ${w}`);
  deps.log(
    `replaying ${record.experiment} (${record.build} build): ${record.schedule.faults.length} scheduled fault(s), ` +
      `${record.fired.faults.length} recorded as fired, verdict ${record.verdict}, commit ${record.commit.slice(0, 12)}`,
  );
  const session = await deps.startPlatform(record.build, record.seed);
  let result: ExperimentRunResult;
  try {
    result = await deps.runExperiment(session, {
      ...recordedRunOptions(record),
      reportsDir: deps.reportsDir,
      log: deps.log,
      status: deps.status,
    });
  } finally {
    await session.close();
  }
  const replayed = result.report.replay;
  if (!replayed) throw new Error('the replayed run wrote no replay block');
  const comparison = compareReplay(record, replayed);
  deps.log(formatReplayComparison(comparison));
  return { record, warnings, result, comparison };
}

/** The replay matches when the same faults fired (±2 s), with the same verdict and the same violated invariants on the same images. */
export function compareReplay(recorded: ReplayRecord, replayed: ReplayRecord, toleranceMs = TIME_TOLERANCE_MS): ReplayComparison {
  const fired = compareFired(recorded.fired, replayed.fired, toleranceMs);
  const differences = [...fired.differences];
  if (recorded.verdict !== replayed.verdict) differences.push(`verdict: ${replayed.verdict}, recorded ${recorded.verdict}`);
  const [was, now] = [violationKeys(recorded.violations), violationKeys(replayed.violations)];
  for (const v of was) if (!now.has(v)) differences.push(`violation missing: ${v}`);
  for (const v of now) if (!was.has(v)) differences.push(`violation extra: ${v}`);
  return { matched: differences.length === 0, fired, differences };
}

const violationKeys = (violations: readonly ViolatedInvariant[]) =>
  new Set(violations.map((v) => `${v.invariant} on ${[...v.ids].sort().join(', ') || '(no image)'}`));

/** What a replay prints: the match, then each difference. */
export function formatReplayComparison(c: ReplayComparison): string {
  const { recorded, replayed, same } = c.fired.counts;
  const within = `within ±${TIME_TOLERANCE_MS / 1000} s`;
  const outcome = c.matched ? 'MATCHED' : 'DIFFERS';
  const head = `replay ${outcome}: ${same} of ${recorded} recorded faults fired again ${within} (${replayed} fired)`;
  return [head, ...c.differences.map((d) => `  ${d}`)].join('\n');
}

/** A report's replay block, from a run on the local platform (the only one a replay or a shrink can run). */
export function readLocalReplayRecord(reportPath: string): ReplayRecord {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${reportPath}: ${(err as Error).message}`, { cause: err });
  }
  const record = readReplayRecord(json, reportPath);
  if (record.options.awsTemplateId)
    throw new Error(`${reportPath} is a run in AWS (FIS template ${record.options.awsTemplateId}): replay runs the local platform only`);
  return record;
}

/** The run options that execute a recorded run exactly: its schedule, its workload, its seeds and options. */
export function recordedRunOptions(record: ReplayRecord): Omit<ExperimentRunOptions, 'reportsDir' | 'log' | 'status'> {
  return {
    experiment: record.experiment,
    seed: record.seed,
    seedExplicit: record.seedExplicit,
    fisSeed: record.fisSeed,
    // The same ids as the recorded run: the workload's choices are a function of seed and run tag.
    ...(typeof record.workloadOptions.runTag === 'string' ? { runTag: record.workloadOptions.runTag } : {}),
    ...recordedWorkloadKnobs(record.workloadOptions),
    ...record.options,
    schedule: record.schedule,
    ...(record.workload !== undefined ? { recordedWorkload: record.workload } : {}),
  };
}

/** The workload knobs a catcher added (late creates, rival uploads), as the recorded run had them. */
function recordedWorkloadKnobs(workload: Readonly<Record<string, unknown>>): {
  workload?: { lateCreateShare?: number; rivalUploadShare?: number };
} {
  const knobs = Object.fromEntries(
    (['lateCreateShare', 'rivalUploadShare'] as const).flatMap((k) => (typeof workload[k] === 'number' ? [[k, workload[k]]] : [])),
  );
  return Object.keys(knobs).length ? { workload: knobs } : {};
}
