import type { HistoryEvent } from '../history/history-event';
import type { FinalState } from './final-state';

export type InvariantName =
  | 'nothing-lost'
  | 'nothing-duplicated'
  | 'monotonic'
  | 'drained'
  | 'acknowledged-durable'
  | 'bad-input-rejected'
  | 'sepia';

/** One broken promise, with the image ids it concerns (empty when it concerns none, e.g. a queue). */
export interface Violation {
  readonly invariant: InvariantName;
  readonly ids: readonly string[];
  readonly message: string;
}

/** What a run may legitimately leave behind; the defaults are the strict ones. */
export interface InvariantOptions {
  /** Messages in the dead-letter queue are expected (poison on purpose). Default false. */
  readonly allowDeadLetters?: boolean;
  /** Ids whose upload is known to be undecodable, so ending `failed` is right for them. */
  readonly expectedFailed?: ReadonlySet<string>;
}

/** An invariant over the history and the final state; adding one = adding a file in invariants/. */
export type Invariant = (history: readonly HistoryEvent[], state: FinalState, options?: InvariantOptions) => Violation[];
