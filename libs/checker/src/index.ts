/** The checker's public face, for the runner and the report: check a history, judge a run, give the verdict. */
export { checkHistory, type CheckResult } from './check-history';
export type { StoredItem, StoredObject } from './stored-state';
export { imageIdOfKey } from './run-scope';
export { formatStats } from './format-stats';
export { formatViolations } from './format-violations';
export { indexNemesis } from './nemesis-index';
export { indexHistory } from './history-index';
export type { Violation } from './violation';
export { INVARIANT_ORDER } from './invariants';
export { verdictOf, historyFacts, type Verdict, type VerdictCondition, type ThresholdOutcome, type HistoryFacts } from './verdict';
export { judgeRun, type JudgedRun } from './judge-run';
export { earlyViolations, describeEarlyViolations, type LiveState } from './early-violations';
