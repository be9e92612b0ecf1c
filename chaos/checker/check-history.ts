import type { HistoryEvent } from '../history/history-event';
import { checkStats, type CheckStats } from './check-stats';
import type { FinalState } from './final-state';
import { INVARIANTS, checkSepia, sepiaSample, type SepiaOptions } from './invariants';
import type { InvariantOptions, Violation } from './violation';

export interface CheckOptions extends InvariantOptions {
  /** The sampled sepia check; left out, no object is downloaded and the check is skipped. */
  readonly sepia?: SepiaOptions;
}

export interface CheckResult {
  /** True when no invariant is violated. */
  readonly ok: boolean;
  readonly violations: readonly Violation[];
  readonly stats: CheckStats;
}

/** The checker: every invariant over one run's history and final state. */
export async function checkHistory(history: readonly HistoryEvent[], state: FinalState, options: CheckOptions = {}): Promise<CheckResult> {
  const violations = INVARIANTS.flatMap(([, invariant]) => invariant(history, state, options));
  let sepiaChecked = 0;
  if (options.sepia && options.sepia.sample > 0) {
    sepiaChecked = sepiaSample(state, options.sepia.sample, options.sepia.seed).length;
    violations.push(...(await checkSepia(state, options.sepia)));
  }
  return { ok: violations.length === 0, violations, stats: checkStats(history, state, sepiaChecked) };
}
