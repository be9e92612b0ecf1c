/**
 * Adversaries the checker must catch: the seed's own code path and single-defect mutants of the
 * real build. Loaded by the apps only through a dynamic import in chaos mode (never statically).
 */
export * from './adversary-definition';
export * from './registry';
export { override } from './override';
