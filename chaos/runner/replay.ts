import { readFileSync } from 'node:fs';
import { ScheduleComparison, compareSchedules, formatComparison } from '../nemesis/fault-schedule';
import type { PlatformSession } from '../../platform/local/session';
import { ReplayRecord, currentCommit, readReplayRecord, recordedSchedule, replayWarnings } from '../report/replay-record';
import type { ExperimentRunOptions, ExperimentRunResult } from './experiment/run-options';

export interface ReplayDeps {
  /** A fresh platform of `build` whose fleet has `seed` (a replay never reuses a running one: generations must start at 0). */
  startPlatform(build: string, seed: number): Promise<PlatformSession>;
  runExperiment(session: PlatformSession, options: ExperimentRunOptions): Promise<ExperimentRunResult>;
  readonly reportsDir: string;
  readonly log: (line: string) => void;
  readonly status: (line: string) => void;
  readonly commit?: () => { commit: string; dirty: boolean };
}

export interface ReplayOutcome {
  readonly record: ReplayRecord;
  readonly warnings: readonly string[];
  readonly result: ExperimentRunResult;
  readonly comparison: ScheduleComparison;
}

/**
 * `npm run chaos -- replay <report.json>`: runs the recorded experiment again with everything the
 * report recorded (seed, options, workload, build; the commit is checked, not checked out) on a
 * fresh platform, and compares the fault schedule it gets with the recorded one.
 */
export async function replayReport(reportPath: string, deps: ReplayDeps): Promise<ReplayOutcome> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${reportPath}: ${(err as Error).message}`, { cause: err });
  }
  const record = readReplayRecord(json, reportPath);
  if (record.options.awsTemplateId)
    throw new Error(`${reportPath} is a run in AWS (FIS template ${record.options.awsTemplateId}): replay runs the local platform only`);
  const warnings = replayWarnings(record, (deps.commit ?? currentCommit)());
  for (const w of warnings) deps.log(`warning: ${w}`);
  const platformSeed = record.platformSeed ?? record.seed;
  const seeds = `seed ${record.seed}${record.seedExplicit ? ' (given)' : ''}, FIS seed ${record.fisSeed}, fleet seed ${platformSeed}`;
  deps.log(`replaying ${record.experiment} (${record.build} build): ${seeds}, commit ${record.commit.slice(0, 12)}`);
  const session = await deps.startPlatform(record.build, platformSeed);
  let result: ExperimentRunResult;
  try {
    result = await deps.runExperiment(session, {
      experiment: record.experiment,
      seed: record.seed,
      seedExplicit: record.seedExplicit,
      // As recorded, whatever the template's seed tag says now.
      fisSeed: record.fisSeed,
      // The same ids as the recorded run: the workload's choices are a function of seed and run tag.
      ...(typeof record.workload.runTag === 'string' ? { runTag: record.workload.runTag } : {}),
      ...recordedWorkloadKnobs(record.workload),
      ...record.options,
      reportsDir: deps.reportsDir,
      log: deps.log,
      status: deps.status,
    });
  } finally {
    await session.close();
  }
  const replayed = result.report.replay;
  if (!replayed) throw new Error('the replayed run recorded no fault schedule');
  const comparison = compareSchedules(recordedSchedule(record), recordedSchedule(replayed));
  deps.log(formatComparison(comparison));
  return { record, warnings, result, comparison };
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
