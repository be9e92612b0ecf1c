/** The checker's public face, for the runner: read the final state, check a history against it, print. */
export { checkHistory, type CheckOptions, type CheckResult } from './check-history';
export type { CheckStats } from './check-stats';
export { readFinalState, type FinalState, type ReadFinalStateOptions, type StoredItem, type StoredObject } from './final-state';
export { formatStats } from './format-stats';
export { formatViolations } from './format-violations';
export { s3ObjectReader, type ObjectReader } from './object-reader';
export type { InvariantName, InvariantOptions, Violation } from './violation';
export { INVARIANT_ORDER } from './invariants';
