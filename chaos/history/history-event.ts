/**
 * The history: what the workload did and saw, one event per HTTP response (or network error).
 * It is the only thing the workload (k6, load/) and the checker (chaos/checker) share — Jepsen's
 * separation. k6 emits each event as a sample of the `imagery_history` metric (value = duration in
 * ms) into its JSON output: the low-cardinality fields as tags, the per-request ones (start, end,
 * id, vu, iteration) as sample metadata, which k6 does not index (all-tags cost 1.4 GB of k6 memory
 * per 100k samples). load-history.ts reads both shapes back.
 */
export type HistoryOp = 'create' | 'upload' | 'get';

/** Deliberately bad requests the workload sends, each expecting a 4xx. */
export type BadInputKind = 'not-an-image' | 'truncated' | 'too-large' | 'bad-id';

export interface HistoryEvent {
  /** Epoch ms when the request was sent. */
  readonly start: number;
  /** Epoch ms when the response (or the network error) arrived. */
  readonly end: number;
  readonly op: HistoryOp;
  /** The client-chosen image id (for `bad-id`, the malformed id sent). */
  readonly id: string;
  /** HTTP status; 0 for a network error (no response). */
  readonly status: number;
  /** 1 for the first try, 2+ for retries of the same request with the same id. */
  readonly attempt: number;
  /** The item's version and state in a 2xx response body. */
  readonly version?: number;
  readonly state?: string;
  /** For uploads: SHA-256 of the bytes sent (names the raw object: upload/<id>/<sha256>). */
  readonly sha256?: string;
  /** Set on deliberately bad requests: a 4xx is the right answer. */
  readonly bad?: BadInputKind;
  /** The k6 VU and iteration, to follow one client's journey. */
  readonly vu?: number;
  readonly iteration?: number;
}

export const HISTORY_METRIC = 'imagery_history';
