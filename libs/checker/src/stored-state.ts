/**
 * What the system left behind after load, faults and the drain: the checker's second input,
 * beside the history. Plain data, so tests can build one by hand; final-state.ts reads it from AWS.
 */

/** An item as scanned from the table. Loosely typed on purpose: a broken build may write anything. */
export interface StoredItem {
  readonly id: string;
  readonly version?: number;
  readonly state?: string;
  readonly rawS3Key?: string;
  readonly processedS3Key?: string;
  readonly failureReason?: string;
  readonly [field: string]: unknown;
}

export interface StoredObject {
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
  /** Epoch ms, as the store reports it: shown as evidence, never trusted for the scope (a build may write anything). */
  readonly lastModified?: number;
}

/** SQS's approximate counts (GetQueueAttributes). */
export interface QueueCounts {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

export interface DeadLetterState {
  /** The whole queue's counts, every run's dead letters included (what SQS reports). */
  readonly visible: number;
  readonly inFlight: number;
  /** Bodies of the messages peeked (not consumed) from the dead-letter queue: after scoping, this run's only. */
  readonly messages: readonly string[];
  /** Dead letters left out by the run's scope (earlier runs'): reported, never judged. */
  readonly ignored?: number;
  /** Dead letters the queue reports that the peek could not read: `messages` is partial (the drained invariant says so). */
  readonly unseen?: number;
}

/** An item as it was when a run started (see store-baseline.ts). */
export interface ItemFingerprint {
  readonly version?: number;
  readonly state?: string;
  /** SHA-1 of the item's fields in key order: any change to any field changes it, a bumped version or not. */
  readonly digest: string;
}

export interface FinalState {
  readonly items: readonly StoredItem[];
  readonly objects: readonly StoredObject[];
  readonly queue: QueueCounts;
  readonly deadLetter: DeadLetterState;
  /**
   * Given a baseline (the store when the run started; see run-scope.ts): the scope's items as they
   * were then, and the items that existed then and are gone. Absent when the whole state is judged.
   */
  readonly before?: {
    readonly preexisting: ReadonlyMap<string, ItemFingerprint>;
    readonly vanished: ReadonlyMap<string, ItemFingerprint>;
  };
}
