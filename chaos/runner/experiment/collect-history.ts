import type { HistoryEntry } from '@imagery/history/history-entry';
import type { HistoryFileContents } from '@imagery/history/history-file';
import { mergeByTime } from '@imagery/history/merge-by-time';
import type { FisExperiment } from '../fis-experiment';
import type { RunNemesisResult } from '../run-nemesis';
import type { LiveRun } from './live-run';
import type { ExperimentRunOptions } from './run-options';

export interface CollectedRun {
  readonly finishedAt: number;
  readonly nemesisRun: RunNemesisResult;
  /** The workload's history, the nemesis's and what Toxiproxy showed, merged in time order. */
  readonly history: HistoryEntry[];
}

/** The run's whole history once it is over: the client side read from the workload's file (Drained), the nemesis side from the recorder. */
export async function collectHistory(
  fis: FisExperiment,
  live: LiveRun,
  clientSide: HistoryFileContents | undefined,
  options: Pick<ExperimentRunOptions, 'experiment' | 'log'>,
): Promise<CollectedRun> {
  const finishedAt = Date.now();
  live.nemesis.observe(await fis.refresh());
  const nemesisRun = live.nemesis.finish(finishedAt);
  const observed = await live.stopObserving();
  const history = mergeByTime<HistoryEntry>(clientSide?.entries ?? [], mergeByTime(nemesisRun.entries, observed));
  options.log(
    `${options.experiment}: ${history.length} history entries, ${nemesisRun.faultsInjected} API faults injected, ` +
      `${nemesisRun.instancesEnded} instances ended`,
  );
  return { finishedAt, nemesisRun, history };
}
