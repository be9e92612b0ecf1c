import type { CompletionType } from '@imagery/history/history-entry';
import type { StoredItem } from './stored-state';

/** What a violation about one image rests on (provenance.ts gathers it from the history and the final state). */

/** One client attempt, as evidence. */
export interface EvidenceOperation {
  readonly op: string;
  readonly attempt: number;
  readonly requestId: string;
  /** Seconds since the history's first entry. */
  readonly at: number;
  readonly type?: CompletionType;
  readonly status?: number;
  readonly error?: string;
  readonly state?: string;
  readonly version?: number;
  readonly latencyMs?: number;
}

export interface TouchingFault {
  /**
   * `request`: an injected fault carrying one of its requests' ids; `image`: one naming the image;
   * `overlap`: active while its operations ran.
   */
  readonly how: 'request' | 'image' | 'overlap';
  readonly kind: string;
  readonly at: number;
  readonly text: string;
}

/** What a violation about one image rests on, and what was done to it. */
export interface Provenance {
  readonly image: string;
  readonly operations: readonly EvidenceOperation[];
  readonly item: StoredItem | null;
  readonly objects: readonly { readonly key: string; readonly size: number }[];
  readonly faults: readonly TouchingFault[];
  /** Epoch ms of the image's last client operation (its completion, else its invocation): where the report marks it. */
  readonly lastOperationAt?: number;
}
