/** The checker's public face, for the runner: read the final state, check a history against it, give the verdict. */
export { checkHistory, type CheckOptions, type CheckResult } from './check-history';
export type { CheckStats } from './check-stats';
export { readFinalState, type ReadFinalStateOptions } from './final-state';
export type { FinalState, StoredItem, StoredObject } from './stored-state';
export { runScopeOf, scopeFinalState, imageIdOfKey, imageIdOfMessage, type RunScope } from './run-scope';
export { formatStats } from './format-stats';
export { formatViolations } from './format-violations';
export { s3ObjectReader, type ObjectReader } from './object-reader';
export { sharpSepiaComparer, type SepiaComparer } from './sepia-comparer';
export type { Provenance, TouchingFault, EvidenceOperation } from './evidence';
export { indexNemesis, type NemesisWindow } from './nemesis-index';
export { indexHistory, secondsAt, type Operation } from './history-index';
export type { InvariantName, InvariantOptions, Violation } from './violation';
export { INVARIANT_ORDER } from './invariants';
export {
  verdictOf,
  historyFacts,
  formatVerdict,
  type Verdict,
  type VerdictInputs,
  type VerdictOutcome,
  type VerdictReason,
  type VerdictCondition,
  type ThresholdOutcome,
  type HistoryFacts,
} from './verdict';
export { judgeRun, type JudgeRunOptions, type JudgedRun } from './judge-run';
export { earlyViolations, describeEarlyViolations, type LiveState } from './early-violations';
