import type { Invariant, InvariantName } from '../violation';
import { acknowledgedDurable } from './acknowledged-durable';
import { badInputRejected } from './bad-input-rejected';
import { drained } from './drained';
import { monotonic } from './monotonic';
import { nothingDuplicated } from './nothing-duplicated';
import { nothingLost } from './nothing-lost';

export { checkSepia, sepiaSample, type SepiaOptions } from './sepia';

/** The synchronous invariants, by name, in the order they are reported (sepia, async, comes last). */
export const INVARIANTS: ReadonlyArray<readonly [Exclude<InvariantName, 'sepia'>, Invariant]> = [
  ['nothing-lost', nothingLost],
  ['nothing-duplicated', nothingDuplicated],
  ['monotonic', monotonic],
  ['drained', drained],
  ['acknowledged-durable', acknowledgedDurable],
  ['bad-input-rejected', badInputRejected],
];

export const INVARIANT_ORDER: readonly InvariantName[] = [...INVARIANTS.map(([name]) => name), 'sepia'];

export { acknowledgedDurable, badInputRejected, drained, monotonic, nothingDuplicated, nothingLost };
