/**
 * Adversaries the checker must catch: the seed's own code path and single-defect mutants of the
 * real build. A plugin: the apps load it by path in chaos mode only (libs/nest-platform adversary-plugin.ts),
 * and no production module names it.
 */
export * from './adversary-definition';
export * from './registry';
export { override } from './override';
