import { ImageQueue } from '@imagery/domain';

/** SQS's DeleteMessageBatch limit. */
export const MAX_BATCH = 10;

interface PendingDelete {
  readonly receiptHandle: string;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * Gathers the deletes of finished jobs into DeleteMessageBatch calls: a batch goes when it holds
 * 10 handles, or `lingerMs` after its first one. Each caller learns whether its own message was
 * deleted (a failed entry or a failed call rejects), so it keeps the message's visibility
 * heartbeat running until then: at-least-once never rests on a delete that did not happen.
 */
export class BatchDeleter {
  private pending: PendingDelete[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly queue: ImageQueue,
    private lingerMs: number,
  ) {}

  /** From now on every delete goes at once, and what is gathered goes now (shutdown: no job waits out a linger). */
  stopLingering(): void {
    this.lingerMs = 0;
    void this.flush();
  }

  delete(receiptHandle: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ receiptHandle, resolve, reject });
      if (this.pending.length >= MAX_BATCH || this.lingerMs <= 0) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.lingerMs);
    });
  }

  /** Sends what is gathered (up to 10 per call). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0, MAX_BATCH);
    if (this.pending.length > 0) void this.flush();
    if (batch.length === 0) return;
    try {
      const failed = new Set(await this.queue.deleteBatch(batch.map((p) => p.receiptHandle)));
      for (const p of batch) {
        if (failed.has(p.receiptHandle)) p.reject(new Error('DeleteMessageBatch did not delete this message: it will come back'));
        else p.resolve();
      }
    } catch (err) {
      for (const p of batch) p.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
