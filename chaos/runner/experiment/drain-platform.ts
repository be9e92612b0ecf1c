import type { HistoryFileContents } from '@imagery/history/history-file';
import type { WorkloadResult } from '../../../load/run-workload';
import type { PlatformSession } from '../../../platform/local/session';
import { type DrainResult, waitForDrain } from '../drain';
import type { FisExperiment } from '../fis-experiment';
import { drainBudgetMs, lastWorkAt } from './drain-budget';
import type { LiveRun } from './live-run';
import type { WorkloadOutcome } from './load-under-faults';
import type { ExperimentRunOptions } from './run-options';
import { readWorkloadHistory } from './workload-history';

export interface Drained {
  readonly drain: DrainResult;
  /** How long before the drain began the platform was last given work (drain-budget.ts). */
  readonly sinceLastWorkMs: number;
  /** Absent when the workload itself failed. */
  readonly loadResult?: WorkloadResult;
  /** The workload's history, read once here (absent: unreadable); the run's history is built from it. */
  readonly workloadHistory?: HistoryFileContents;
}

/**
 * Waits (bounded: the drain timeout counted from the platform's last work, drain-budget.ts) for the
 * system to settle, so the checker judges a settled system; logs how load, FIS and drain ended.
 */
export async function drainPlatform(
  session: PlatformSession,
  fis: FisExperiment,
  live: LiveRun,
  loaded: WorkloadOutcome,
  options: Pick<ExperimentRunOptions, 'experiment' | 'drainTimeoutMs' | 'log'>,
): Promise<Drained> {
  live.phase = 'drain';
  const workloadHistory = await readWorkloadHistory(live.workloadPath, options);
  const lastWork = lastWorkOf(workloadHistory, fis);
  const startedAt = Date.now();
  const budgetMs = drainBudgetMs(options.drainTimeoutMs, lastWork, startedAt);
  const drain = await waitForDrain({ env: session.directEnv }, budgetMs, () => live.tick());
  live.stopStatusLine();
  const loadResult = 'result' in loaded ? loaded.result : undefined;
  const sinceLastWorkMs = Math.max(0, startedAt - lastWork);
  const budget = `${Math.round(sinceLastWorkMs / 1000)} s after the last write or fault; allowed ${Math.round(budgetMs / 1000)} s`;
  const fisState = fis.last?.state?.status ?? '?';
  options.log(`${options.experiment}: load ${loadResult?.outcome ?? 'failed'}, FIS ${fisState}, ${drainSummary(drain)} (${budget})`);
  if (loadResult) options.log(loadResult.text);
  return { drain, sinceLastWorkMs, loadResult, ...(workloadHistory ? { workloadHistory } : {}) };
}

/**
 * The platform's last work: the workload's last write and the FIS experiment's end (now while it
 * has not ended, or when the history cannot be read: the whole timeout then, as before).
 */
function lastWorkOf(history: HistoryFileContents | undefined, fis: FisExperiment): number {
  const now = Date.now();
  const faultsEnded = fis.done ? (fis.last?.endTime?.getTime() ?? now) : now;
  return history ? lastWorkAt(history.entries, faultsEnded) : now;
}

function drainSummary(drain: DrainResult): string {
  const seconds = Math.round(drain.waitedMs / 1000);
  return drain.drained ? `drained in ${seconds}s` : `NOT drained after ${seconds}s (${drain.queued} queued, ${drain.uploaded} uploaded)`;
}
