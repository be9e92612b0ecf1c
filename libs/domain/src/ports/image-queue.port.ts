import { Image } from '../image';

/** The work queue between API and worker. Delivery is at-least-once; consumers are idempotent. */
export interface ImageMessage {
  readonly imageId: string;
  /** The client request the work serves (its `x-request-id`), so the worker's logs link back to it. */
  readonly requestId?: string;
  /**
   * The item as the sender wrote it, version and state included: a consumer may act on it without
   * reading the table, since its conditional write checks that version (a conflict re-reads).
   */
  readonly item?: Image;
}

export interface ReceivedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly receiptHandle: string;
  /** How many times this message has been received, this time included. */
  readonly receiveCount: number;
}

export interface ImageQueue {
  send(message: ImageMessage): Promise<void>;
  /**
   * Long poll: waits up to `waitSeconds` for up to `max` messages, hidden from other consumers for
   * `visibilitySeconds` if given (so the consumer's own setting holds, whatever the queue's default).
   */
  receive(max: number, waitSeconds: number, signal?: AbortSignal, visibilitySeconds?: number): Promise<ReceivedMessage[]>;
  delete(receiptHandle: string): Promise<void>;
  /**
   * Deletes up to 10 messages in one call (SQS DeleteMessageBatch). Resolves with the handles it
   * could not delete: those messages come back after their visibility timeout, which an idempotent
   * consumer shrugs off. Rejects when the call itself failed (none, some or all may be deleted).
   */
  deleteBatch(receiptHandles: readonly string[]): Promise<string[]>;
  /** Hides the message for another `seconds` while its job still runs. */
  extendVisibility(receiptHandle: string, seconds: number): Promise<void>;
  /** Messages waiting to be received (approximate, as SQS counts them: visible and delayed ones). */
  backlog(): Promise<number>;
}
