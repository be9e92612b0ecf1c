import type { Invariant, InvariantName } from '../violation';
import { acknowledgedDurable } from './acknowledged-durable';
import { badInputRejected } from './bad-input-rejected';
import { drained } from './drained';
import { everyImageEnds } from './every-image-ends';
import { monotonic } from './monotonic';
import { nothingDuplicated } from './nothing-duplicated';
import { objectsExist } from './objects-exist';
import { objectsOwned } from './objects-owned';
import { rawMatchesKey } from './raw-matches-key';
import { sepia } from './sepia';

/** The invariants by name, in the order they are reported. Adding one = one file and one line here. */
export const INVARIANTS: ReadonlyArray<readonly [InvariantName, Invariant]> = [
  ['every-image-ends', everyImageEnds],
  ['objects-exist', objectsExist],
  ['objects-owned', objectsOwned],
  ['raw-matches-key', rawMatchesKey],
  ['sepia', sepia],
  ['nothing-duplicated', nothingDuplicated],
  ['monotonic', monotonic],
  ['acknowledged-durable', acknowledgedDurable],
  ['bad-input-rejected', badInputRejected],
  ['drained', drained],
];

export const INVARIANT_ORDER: readonly InvariantName[] = INVARIANTS.map(([name]) => name);

export { sepiaTargets } from './sepia';
export { claimedSha256, rawObjectsToHash } from './raw-matches-key';
export {
  acknowledgedDurable,
  badInputRejected,
  drained,
  everyImageEnds,
  monotonic,
  nothingDuplicated,
  objectsExist,
  objectsOwned,
  rawMatchesKey,
  sepia,
};
