import type { WorkloadResult } from '../../../load/run-workload';
import type { PlatformSession } from '../../../platform/local/session';
import { type DrainResult, waitForDrain } from '../drain';
import type { FisExperiment } from '../fis-experiment';
import type { LiveRun } from './live-run';
import type { WorkloadOutcome } from './load-under-faults';
import type { ExperimentRunOptions } from './run-options';

export interface Drained {
  readonly drain: DrainResult;
  /** Absent when the workload itself failed. */
  readonly loadResult?: WorkloadResult;
}

/** Waits (bounded) for the system to settle, so the checker judges a settled system; logs how load, FIS and drain ended. */
export async function drainPlatform(
  session: PlatformSession,
  fis: FisExperiment,
  live: LiveRun,
  loaded: WorkloadOutcome,
  options: Pick<ExperimentRunOptions, 'experiment' | 'drainTimeoutMs' | 'log'>,
): Promise<Drained> {
  live.phase = 'drain';
  const drain = await waitForDrain({ env: session.directEnv }, options.drainTimeoutMs, () => live.tick());
  live.stopStatusLine();
  const loadResult = 'result' in loaded ? loaded.result : undefined;
  options.log(
    `${options.experiment}: load ${loadResult?.outcome ?? 'failed'}, FIS ${fis.last?.state?.status ?? '?'}, ${drainSummary(drain)}`,
  );
  if (loadResult) options.log(loadResult.text);
  return { drain, loadResult };
}

function drainSummary(drain: DrainResult): string {
  const seconds = Math.round(drain.waitedMs / 1000);
  return drain.drained ? `drained in ${seconds}s` : `NOT drained after ${seconds}s (${drain.queued} queued, ${drain.uploaded} uploaded)`;
}
