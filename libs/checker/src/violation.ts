import type { HistoryEntry } from '@imagery/history/history-entry';
import type { FinalState } from './stored-state';
import type { ObjectReader } from './object-reader';
import type { Provenance } from './evidence';
import type { SepiaComparer } from './sepia-comparer';
import type { ObjectJudgements } from './object-judgements';

export type InvariantName =
  | 'every-image-ends'
  | 'objects-exist'
  | 'objects-owned'
  | 'raw-matches-key'
  | 'sepia'
  | 'nothing-duplicated'
  | 'monotonic'
  | 'acknowledged-durable'
  | 'bad-input-rejected'
  | 'drained';

/** One broken promise, with the image ids it concerns (empty when it concerns none, e.g. a queue). */
export interface Violation {
  readonly invariant: InvariantName;
  readonly ids: readonly string[];
  readonly message: string;
  /** The evidence and the faults that touched the image; added by the checker for single-image violations. */
  readonly provenance?: Provenance;
}

/**
 * One image's repeated breaches of one rule, as one violation: the first, then how many more.
 * (A build that forgets an upload is read back wrong on every poll: one violation per read made
 * a report of 26,000 violations, each carrying the image's whole evidence.)
 */
export function firstAndCount(messages: readonly string[], more: string): string | undefined {
  if (messages.length === 0) return undefined;
  return messages.length === 1 ? messages[0] : `${messages[0]} (and ${messages.length - 1} more ${more})`;
}

/** What a run may legitimately leave behind, and how far the object checks go; the defaults are the strict ones. */
export interface InvariantOptions {
  /** Messages of this run in the dead-letter queue are expected (poison on purpose). Default false. */
  readonly allowDeadLetters?: boolean;
  /** Ids whose upload is known to be undecodable, so ending `failed` is right for them. */
  readonly expectedFailed?: ReadonlySet<string>;
  /** Reads objects' bytes: needed by raw-matches-key and sepia, which are skipped (and say so in the stats) without it. */
  readonly readObject?: ObjectReader;
  /** Is one object a sepia rendering of another (default: the sharp pixel comparison of libs/image-filter). */
  readonly compareSepia?: SepiaComparer;
  /** Compare only a seeded sample of this many processed images (default: all of them). */
  readonly sepiaSample?: { readonly size: number; readonly seed: number };
  /** Objects read and compared at once (default 4: each comparison decodes two images). */
  readonly concurrency?: number;
  /**
   * What was already concluded about objects' bytes (judged while the load ran): an object listed
   * with the ETag its bytes were judged under is not read again. Every object is still judged.
   */
  readonly judgements?: ObjectJudgements;
}

/** What every invariant reads: the history, the run's final state, and the options. */
export interface CheckInput {
  readonly history: readonly HistoryEntry[];
  readonly state: FinalState;
  readonly options: InvariantOptions;
}

/** An invariant; adding one = adding a file in invariants/ and a line in invariants/index.ts. */
export type Invariant = (input: CheckInput) => Violation[] | Promise<Violation[]>;

/** An invariant over the history and the state alone: no object is read. */
export type SyncInvariant = (input: CheckInput) => Violation[];
