import { Clock } from '@imagery/domain/ports/clock.port';
import { ImageMessage, ImageQueue, ReceivedMessage } from '@imagery/domain/ports/image-queue.port';
import { promiseOf } from '../promise-of';

export interface InMemoryQueueOptions {
  readonly visibilityTimeoutSeconds?: number;
  /** Like an SQS redrive policy: a message received this many times goes to `deadLetters` next. */
  readonly maxReceiveCount?: number;
}

export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
  /** Epoch ms from which the message can be received again. */
  readonly visibleAt: number;
  /** The handle of the latest receive; only that one deletes the message. */
  readonly receiptHandle?: string;
}

/**
 * A standard SQS queue in memory, timed by the injected clock: at-least-once, visibility timeout,
 * receive counts, redrive to a dead-letter list. `receive` never waits (long polling has nothing
 * to wait for in memory). Deleting with a stale or unknown handle succeeds and does nothing, as SQS
 * does; changing the visibility of a message not in flight with that handle rejects.
 */
export class InMemoryImageQueue implements ImageQueue {
  private readonly pending: Mutable<QueuedMessage>[] = [];
  readonly deadLetters: QueuedMessage[] = [];
  /** Every body ever sent, in order. */
  readonly sent: string[] = [];
  private nextId = 1;
  private readonly visibilityMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly options: InMemoryQueueOptions = {},
  ) {
    this.visibilityMs = (options.visibilityTimeoutSeconds ?? 30) * 1000;
  }

  send(message: ImageMessage): Promise<void> {
    return promiseOf(() => {
      this.enqueue(JSON.stringify(message));
    });
  }

  receive(max: number, _waitSeconds: number, signal?: AbortSignal): Promise<ReceivedMessage[]> {
    return promiseOf(() => {
      signal?.throwIfAborted();
      const now = this.clock.now();
      const received: ReceivedMessage[] = [];
      for (const message of [...this.pending]) {
        if (received.length >= max) break;
        if (message.visibleAt > now) continue;
        if (this.options.maxReceiveCount !== undefined && message.receiveCount >= this.options.maxReceiveCount) {
          this.pending.splice(this.pending.indexOf(message), 1);
          this.deadLetters.push({ ...message, receiptHandle: undefined });
          continue;
        }
        message.receiveCount += 1;
        message.visibleAt = now + this.visibilityMs;
        message.receiptHandle = `${message.messageId}#${message.receiveCount}`;
        received.push({
          messageId: message.messageId,
          body: message.body,
          receiptHandle: message.receiptHandle,
          receiveCount: message.receiveCount,
        });
      }
      return received;
    });
  }

  delete(receiptHandle: string): Promise<void> {
    return promiseOf(() => {
      const index = this.pending.findIndex((m) => m.receiptHandle === receiptHandle);
      if (index >= 0) this.pending.splice(index, 1);
    });
  }

  /** Like SQS: every handle is deleted if it is the latest receive's, and a stale one is no failure. */
  deleteBatch(receiptHandles: readonly string[]): Promise<string[]> {
    return promiseOf(() => {
      if (receiptHandles.length > 10) throw new Error('DeleteMessageBatch takes at most 10 entries');
      for (const handle of receiptHandles) {
        const index = this.pending.findIndex((m) => m.receiptHandle === handle);
        if (index >= 0) this.pending.splice(index, 1);
      }
      return [];
    });
  }

  extendVisibility(receiptHandle: string, seconds: number): Promise<void> {
    return promiseOf(() => {
      const message = this.pending.find((m) => m.receiptHandle === receiptHandle);
      if (!message || message.visibleAt <= this.clock.now()) throw new Error(`message ${receiptHandle} is not in flight`);
      message.visibleAt = this.clock.now() + seconds * 1000;
    });
  }

  /** At-least-once delivery: the queue hands out a second copy of a pending message. */
  duplicate(index: number): void {
    const message = this.pending[index % Math.max(1, this.pending.length)];
    if (message) this.enqueue(message.body);
  }

  /** No ordering guarantee: moves the first `count` pending messages to the back. */
  rotate(count: number): void {
    for (let i = 0; i < count && this.pending.length > 0; i++) this.pending.push(this.pending.shift()!);
  }

  /** Pending messages, visible or in flight (not the dead letters). */
  messages(): QueuedMessage[] {
    return this.pending.map((m) => ({ ...m }));
  }

  /** The visible messages (nothing is ever delayed here). */
  backlog(): Promise<number> {
    return promiseOf(() => {
      const now = this.clock.now();
      return this.pending.filter((m) => m.visibleAt <= now).length;
    });
  }

  private enqueue(body: string): void {
    this.sent.push(body);
    this.pending.push({ messageId: `m-${this.nextId++}`, body, receiveCount: 0, visibleAt: this.clock.now() });
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
