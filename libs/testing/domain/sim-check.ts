import { checkHistory } from '@imagery/checker/check-history';
import type { Violation } from '@imagery/checker/violation';
import type { RunRecord } from './sim-run';

/** A simulated run judged by the one checker the chaos experiments use (libs/checker). */
export async function checkRun(run: RunRecord): Promise<Violation[]> {
  return [...(await checkHistory(run.history, run.state, run.options)).violations];
}
