import { type HistoryFileContents, readHistoryFile } from '@imagery/history/history-file';
import type { ExperimentRunOptions } from './run-options';

/**
 * The workload's history file, read once the load has ended (the drain's budget and the run's
 * history both use it); undefined, with the reason logged, when it cannot be read.
 */
export async function readWorkloadHistory(
  path: string,
  options: Pick<ExperimentRunOptions, 'experiment' | 'log'>,
): Promise<HistoryFileContents | undefined> {
  const clientSide = await readHistoryFile(path).catch((error: unknown) => {
    options.log(`${options.experiment}: the workload's history is unreadable: ${(error as Error).message}`);
    return undefined;
  });
  if (clientSide?.truncatedTail)
    options.log(
      `${options.experiment}: the workload's history ends with a cut-short line (${clientSide.truncatedTail.line}); the run is incomplete`,
    );
  return clientSide;
}
