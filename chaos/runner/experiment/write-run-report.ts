import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASELINE_FILE, baselineToJson } from '@imagery/checker/store-baseline';
import { HISTORY_FILE, type HistoryEntry } from '@imagery/history/history-entry';
import { HistoryFileWriter } from '@imagery/history/history-file';
import type { PlatformSession } from '../../../platform/local/session';
import type { ReportData, RunTiming } from '../../report/report-data';
import { writeReport } from '../../report/write-report';
import { firedFaults } from '../../nemesis/schedule/fired-faults';
import { recordedSchedule } from './recorded-schedule';
import { recordedWorkload, type RecordedWorkload } from '../../../load/recorded-workload';
import type { ReplayRecord } from '../../report/replay-record';
import { readCoverageLogs } from '../../nemesis/coverage-logs';
import { runCoverage } from '../../report/coverage';
import type { CollectedRun } from './collect-history';
import type { Drained } from './drain-platform';
import type { JudgedExperiment } from './judge-experiment';
import type { LiveRun } from './live-run';
import type { LoadUnderFaults } from './load-under-faults';
import type { ExperimentPlan } from './plan-experiment';
import type { ExperimentRunOptions, ExperimentRunResult } from './run-options';
import type { RunStart } from './take-baseline';

/** Everything a run learned, step by step: what its report and its replay record are made of. */
export interface RunFacts {
  readonly session: PlatformSession;
  readonly options: ExperimentRunOptions;
  readonly plan: ExperimentPlan;
  readonly start: RunStart;
  readonly live: Pick<LiveRun, 'startedAt'>;
  readonly load: LoadUnderFaults;
  readonly drained: Drained;
  readonly run: CollectedRun;
  readonly judged: JudgedExperiment;
  /** The run's timing so far, read as report.json is written (so it includes the report's own drawing). */
  readonly timing?: () => RunTiming;
}

/** The report (report.json and report.html), the merged history, and the baseline the checker's CLI needs to judge it again. */
export async function writeRunReport(facts: RunFacts): Promise<ExperimentRunResult> {
  const report = reportDataOf(facts);
  const { history } = facts.run;
  const { timing } = facts;
  const timed = () => (timing ? { timing: timing() } : {});
  const reportDir = await writeReport(facts.options.reportsDir, report, history, timed);
  await writeHistory(join(reportDir, HISTORY_FILE), history);
  // What the checker's CLI needs (--baseline) to judge the run again on the same scope.
  writeFileSync(join(reportDir, BASELINE_FILE), JSON.stringify(baselineToJson(facts.start.baseline)));
  return { report: { ...report, ...timed() }, reportDir }; // with its wall time, for a matrix's junit.xml
}

function reportDataOf(facts: RunFacts): ReportData {
  const { options, run, judged: j } = facts;
  const { loadResult } = facts.drained;
  const journeys = loadResult ? loadResult.summary.journeys.ok + loadResult.summary.journeys.failed : j.judged.check.stats.journeys;
  return {
    experiment: options.experiment,
    build: facts.session.build,
    checkMs: j.checkMs,
    seed: options.seed,
    startedAt: facts.live.startedAt,
    finishedAt: run.finishedAt,
    fisExperimentId: facts.load.experimentId,
    load: {
      rate: options.rate,
      durationSeconds: facts.plan.loadSeconds,
      requests: run.history.filter((e) => e.type === 'invoke').length,
      journeys,
    },
    thresholds: j.thresholds,
    drain: j.drainFacts,
    historyFacts: j.judged.historyFacts,
    faultsPlanned: true,
    check: j.judged.check,
    verdict: j.judged.verdict,
    faultsInjected: run.nemesisRun.faultsInjected,
    ...(j.stoppedBy.length ? { stoppedBy: j.stoppedBy } : {}),
    replay: replayRecordOf(facts),
    ...(facts.session.faultLogDir
      ? { coverage: runCoverage(readCoverageLogs(facts.session.faultLogDir, { from: facts.live.startedAt, to: run.finishedAt })) }
      : {}),
  };
}

/**
 * What `npm run chaos -- replay` executes again (the schedule this run executed, or else the faults
 * it fired; the workload) and what the replay must come out with (the faults fired, the verdict,
 * the violated invariants with their images).
 */
function replayRecordOf({ session, options, plan, load, run, judged }: RunFacts): ReplayRecord {
  const fired = firedFaults(run.history);
  return {
    experiment: options.experiment,
    seed: options.seed,
    seedExplicit: options.seedExplicit ?? false,
    fisSeed: plan.fisSeed,
    commit: plan.commit,
    dirty: plan.dirty,
    build: session.build,
    options: {
      rate: options.rate,
      warmupSeconds: options.warmupSeconds,
      tailSeconds: options.tailSeconds,
      ...(options.maxFaultSeconds !== undefined ? { maxFaultSeconds: options.maxFaultSeconds } : {}),
      badShare: options.badShare,
      drainTimeoutMs: options.drainTimeoutMs,
      ...(options.processTimeoutSeconds !== undefined ? { processTimeoutSeconds: options.processTimeoutSeconds } : {}),
      sepiaSample: options.sepiaSample,
      ...(options.awsTemplateId !== undefined ? { awsTemplateId: options.awsTemplateId } : {}),
    },
    workloadOptions: load.workloadOptions,
    ...workloadOf(options, run.history),
    schedule: options.schedule ?? recordedSchedule(fired, judged.judged.historyFacts.faultEffects),
    fired,
    verdict: judged.judged.verdict.outcome,
    violations: judged.judged.check.violations.map((v) => ({ invariant: v.invariant, ids: [...v.ids].sort() })),
  };
}

/** The journeys the run executed: the ones it was given, else those its history records (none when it has no workload start). */
function workloadOf(options: ExperimentRunOptions, history: readonly HistoryEntry[]): { workload?: RecordedWorkload } {
  if (options.recordedWorkload) return { workload: options.recordedWorkload };
  try {
    return { workload: recordedWorkload(history) };
  } catch {
    return {};
  }
}

async function writeHistory(path: string, history: readonly HistoryEntry[]): Promise<void> {
  const writer = await HistoryFileWriter.open(path);
  for (const entry of history) writer.append(entry);
  await writer.close();
}
