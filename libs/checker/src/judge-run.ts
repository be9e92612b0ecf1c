import type { HistoryEntry } from '@imagery/history/history-entry';
import { checkHistory, type CheckOptions, type CheckResult } from './check-history';
import { readFinalState, type ReadFinalStateOptions } from './final-state';
import type { FinalState } from './stored-state';
import { s3ObjectReader } from './object-reader';
import { runScopeOf } from './run-scope';
import type { StoreBaseline } from './store-baseline';
import { historyFacts, verdictOf, type HistoryFacts, type ThresholdOutcome, type Verdict, type VerdictInputs } from './verdict';

export interface JudgeRunOptions extends Omit<ReadFinalStateOptions, 'scope'> {
  readonly history: readonly HistoryEntry[];
  readonly thresholds: readonly ThresholdOutcome[];
  readonly drain: VerdictInputs['drain'];
  readonly faultsPlanned: boolean;
  /** The FIS experiment's end as the runner saw it, when the history has no `fis-experiment` end entry. */
  readonly fis?: HistoryFacts['fis'];
  /** Checker options; objects are read from the bucket unless readObject is given. */
  readonly check?: CheckOptions;
  /** The store when the run started (readStoreBaseline): the run is judged on what changed since. Without it, on everything. */
  readonly baseline?: StoreBaseline;
}

export interface JudgedRun {
  readonly state: FinalState;
  readonly check: CheckResult;
  readonly historyFacts: HistoryFacts;
  readonly verdict: Verdict;
}

/**
 * What the runner calls after the drain: read the final state of what the history touched, check
 * every invariant (every object read), and give the verdict with its inputs.
 */
export async function judgeRun(options: JudgeRunOptions): Promise<JudgedRun> {
  const { history } = options;
  const state = await readFinalState({ ...options, scope: runScopeOf(history, options.baseline) });
  const readObject = options.check?.readObject ?? (options.clients ? s3ObjectReader(options.clients.s3, options.bucket) : undefined);
  const check = await checkHistory(history, state, { ...options.check, ...(readObject ? { readObject } : {}) });
  const facts = historyFacts(history);
  const withFis = facts.fis || !options.fis ? facts : { ...facts, fis: options.fis };
  const { thresholds, drain, faultsPlanned } = options;
  // The fault effects come from the history: an experiment whose actions had none is INCONCLUSIVE.
  const verdict = verdictOf({ check, history: withFis, thresholds, drain, faultsPlanned, faultEffects: withFis.faultEffects });
  return { state, check, historyFacts: withFis, verdict };
}
