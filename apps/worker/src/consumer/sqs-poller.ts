import { ImageQueue, PoisonMessageError, ReceivedMessage } from '@imagery/domain';
import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImageMessageHandler } from './image-message.handler';
import { startVisibilityHeartbeat } from './visibility-heartbeat';

export interface PollerOptions {
  readonly concurrency: number;
  readonly waitSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  /** A failed job's message comes back after 2^(receives + 1) seconds, at most this long. */
  readonly maxBackoffSeconds: number;
  /** Told of every job: its outcome (`error` when it will be retried) and duration. */
  readonly onJob?: (outcome: string, seconds: number) => void;
}

/**
 * Long-polls for as many messages as there are free job slots. A message is deleted only after
 * its job succeeded; a failed job's message is made visible again after a backoff that grows
 * with its receive count, and the queue's redrive policy moves it to the dead-letter queue
 * after maxReceiveCount receives.
 */
export class SqsPoller {
  private readonly logger = new Logger(SqsPoller.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly queue: ImageQueue,
    private readonly handler: ImageMessageHandler,
    private readonly options: PollerOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops receiving, then waits for the jobs in flight to finish. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  get activeJobs(): number {
    return this.inFlight.size;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      const free = this.options.concurrency - this.inFlight.size;
      if (free <= 0) {
        await Promise.race(this.inFlight);
        continue;
      }
      try {
        const messages = await this.queue.receive(
          free,
          this.options.waitSeconds,
          this.stopping.signal,
          this.options.visibilityTimeoutSeconds,
        );
        failures = 0;
        for (const message of messages) this.track(this.handle(message));
      } catch (err) {
        if (this.stopping.signal.aborted) break;
        failures++;
        this.logger.warn(`receive failed (${failures} in a row): ${(err as Error).message}`);
        await sleep(Math.min(5_000, 100 * 2 ** failures), undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  private track(job: Promise<void>): void {
    this.inFlight.add(job);
    void job.finally(() => this.inFlight.delete(job));
  }

  private async handle(message: ReceivedMessage): Promise<void> {
    const stopHeartbeat = startVisibilityHeartbeat(this.queue, message.receiptHandle, this.options.visibilityTimeoutSeconds, (err) =>
      this.logger.warn(`visibility renewal failed for ${message.messageId}: ${(err as Error).message}`),
    );
    const started = performance.now();
    try {
      // The handler logs each outcome inside the job's request context.
      const outcome = await this.handler.handle(message.body, message.messageId);
      await this.queue.delete(message.receiptHandle);
      this.options.onJob?.(outcome, (performance.now() - started) / 1000);
    } catch (err) {
      const poison = err instanceof PoisonMessageError;
      this.options.onJob?.(poison ? 'poison' : 'error', (performance.now() - started) / 1000);
      await this.retryLater(message, poison);
    } finally {
      stopHeartbeat();
    }
  }

  /**
   * Poison goes back at once (it is bound for the dead-letter queue); transient errors back off
   * 4, 8, 16, 32... s up to the cap, so the four retries before a dead letter (maxReceiveCount 5)
   * span 28 s plus the cap: a 30 s outage of a dependency never dead-letters a message.
   */
  private async retryLater(message: ReceivedMessage, poison: boolean): Promise<void> {
    const backoff = poison ? 0 : Math.min(this.options.maxBackoffSeconds, 2 ** (message.receiveCount + 1));
    await this.queue.extendVisibility(message.receiptHandle, backoff).catch(() => undefined);
  }
}
