import { ImageQueue, PoisonMessageError, ReceivedMessage, reached } from '@imagery/domain';
import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchDeleter, MAX_BATCH } from './batch-deleter';
import { ImageMessageHandler } from './image-message.handler';
import { startVisibilityHeartbeat } from './visibility-heartbeat';

export interface PollerOptions {
  readonly concurrency: number;
  /** Messages a receive may take beyond the free job slots (held, hidden, until a slot frees): receives of up to 10. */
  readonly prefetch: number;
  /** A finished job's delete waits this long for others to share its DeleteMessageBatch (0: at once). */
  readonly deleteLingerMs: number;
  readonly waitSeconds: number;
  /**
   * After a receive that got some messages but fewer than it could take (the queue ran dry), the
   * next receive waits this long, so the messages arriving meanwhile share it (0: at once).
   */
  readonly receiveGatherMs: number;
  readonly visibilityTimeoutSeconds: number;
  /** A failed job's message comes back after 2^(receives + 1) seconds, at most this long. */
  readonly maxBackoffSeconds: number;
  /** Told of every job: its outcome (`error` when it will be retried) and duration. */
  readonly onJob?: (outcome: string, seconds: number) => void;
}

/** A received message, hidden by its heartbeat from receipt until it is deleted or handed back. */
interface HeldMessage {
  readonly message: ReceivedMessage;
  readonly stopHeartbeat: () => void;
}

/**
 * Long-polls (free while idle) for up to 10 messages when a job slot is free, pauses after a receive
 * that emptied the queue (receiveGatherMs), holds those beyond the free slots until one frees, and
 * deletes finished jobs' messages in batches. A message is deleted only after its job succeeded,
 * and its visibility heartbeat runs from receipt until the delete is confirmed; a failed job's
 * message is made visible again after a backoff that grows with its receive count, and the queue's
 * redrive policy moves it to the dead-letter queue after maxReceiveCount receives.
 */
export class SqsPoller {
  private readonly logger = new Logger(SqsPoller.name);
  private readonly inFlight = new Set<Promise<void>>();
  /** Finished jobs' deletes, waiting for their batch. */
  private readonly deleting = new Set<Promise<void>>();
  private readonly held: HeldMessage[] = [];
  private readonly stopping = new AbortController();
  private readonly deleter: BatchDeleter;
  private loop?: Promise<void>;

  constructor(
    private readonly queue: ImageQueue,
    private readonly handler: ImageMessageHandler,
    private readonly options: PollerOptions,
  ) {
    this.deleter = new BatchDeleter(queue, options.deleteLingerMs);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops receiving, hands back the messages not started, then waits for the jobs in flight to finish. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await Promise.allSettled(this.held.splice(0).map((h) => this.handBack(h, 0)));
    this.deleter.stopLingering();
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([...this.deleting]);
  }

  get activeJobs(): number {
    return this.inFlight.size;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let gather = false;
    while (!this.stopping.signal.aborted) {
      while (this.held.length > 0 && this.inFlight.size < this.options.concurrency) this.track(this.handle(this.held.shift()!));
      if (this.inFlight.size >= this.options.concurrency) {
        await Promise.race(this.inFlight);
        continue;
      }
      try {
        // SQS has no "at least n messages" (Kafka's fetch.min.bytes): a long poll answers with the
        // first message. Under a steady trickle that is a receive per message; pausing after a
        // receive that emptied the queue lets the next one carry what arrived meanwhile. A full
        // receive (a backlog) or an empty one (a long poll that waited) is followed at once.
        if (gather) await sleep(this.options.receiveGatherMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
        if (this.stopping.signal.aborted) break;
        const max = Math.min(MAX_BATCH, this.options.concurrency + this.options.prefetch - this.inFlight.size);
        const messages = await this.queue.receive(
          max,
          this.options.waitSeconds,
          this.stopping.signal,
          this.options.visibilityTimeoutSeconds,
        );
        failures = 0;
        gather = this.options.receiveGatherMs > 0 && messages.length > 0 && messages.length < max;
        for (const message of messages) this.held.push({ message, stopHeartbeat: this.heartbeat(message) });
      } catch (err) {
        if (this.stopping.signal.aborted) break;
        failures++;
        gather = false;
        reached('receive-failed-backoff');
        this.logger.warn(`receive failed (${failures} in a row): ${(err as Error).message}`);
        await sleep(Math.min(5_000, 100 * 2 ** failures), undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  private heartbeat(message: ReceivedMessage): () => void {
    return startVisibilityHeartbeat(this.queue, message.receiptHandle, this.options.visibilityTimeoutSeconds, (err) =>
      this.logger.warn(`visibility renewal failed for ${message.messageId}: ${(err as Error).message}`),
    );
  }

  private track(job: Promise<void>): void {
    this.inFlight.add(job);
    void job.finally(() => this.inFlight.delete(job));
  }

  private async handle(held: HeldMessage): Promise<void> {
    const { message } = held;
    const started = performance.now();
    let outcome: string;
    try {
      // The handler logs each outcome inside the job's request context.
      outcome = await this.handler.handle(message.body, message.messageId, message.receiveCount);
    } catch (err) {
      const poison = err instanceof PoisonMessageError;
      reached(poison ? 'poison-message-to-dlq' : 'job-error-retried-later');
      this.options.onJob?.(poison ? 'poison' : 'error', (performance.now() - started) / 1000);
      await this.retryLater(held, poison);
      return;
    }
    this.options.onJob?.(outcome, (performance.now() - started) / 1000);
    // The job slot frees now, not after the delete's linger (that would cap throughput at a slot per
    // linger); the heartbeat keeps the message hidden until its delete is confirmed.
    this.trackDelete(this.confirmDelete(held));
  }

  /** A delete that did not happen hands the message back: its job is recorded, so its next delivery finds it done. */
  private async confirmDelete(held: HeldMessage): Promise<void> {
    try {
      await this.deleter.delete(held.message.receiptHandle);
      held.stopHeartbeat();
    } catch {
      reached('delete-failed-message-returns');
      await this.retryLater(held, false);
    }
  }

  private trackDelete(deleting: Promise<void>): void {
    this.deleting.add(deleting);
    void deleting.finally(() => this.deleting.delete(deleting));
  }

  /**
   * Poison goes back at once (it is bound for the dead-letter queue); transient errors back off
   * 4, 8, 16, 32... s up to the cap, so the four retries before a dead letter (maxReceiveCount 5)
   * span 28 s plus the cap: a 30 s outage of a dependency never dead-letters a message.
   */
  private retryLater(held: HeldMessage, poison: boolean): Promise<void> {
    return this.handBack(held, poison ? 0 : Math.min(this.options.maxBackoffSeconds, 2 ** (held.message.receiveCount + 1)));
  }

  /** Stops renewing and lets the message come back after `seconds` (best effort: else its timeout brings it back). */
  private async handBack({ message, stopHeartbeat }: HeldMessage, seconds: number): Promise<void> {
    stopHeartbeat();
    await this.queue.extendVisibility(message.receiptHandle, seconds).catch(() => undefined);
  }
}
