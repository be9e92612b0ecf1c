import { reached } from '../coverage/reached';
import { TransitionNotAllowedError, VersionConflictError } from '../errors';
import { Image } from '../image';
import { Clock } from '../ports/clock.port';
import { ImageQueue } from '../ports/image-queue.port';
import { ImageTable } from '../ports/image-table.port';
import { FAILURE, ProcessingLimits, UNBOUNDED } from './processing-limits';
import { transitionImage } from './transition-image';

export interface RepairPolicy {
  /**
   * An image `uploaded`, and neither written nor enqueued for longer than this, lost its message
   * (SendMessage failed, or a crash). Must exceed the time a queued or slow job may take — the
   * worker enforces at least two visibility timeouts whatever it is configured with.
   */
  readonly stuckAfterMs: number;
  readonly batchSize: number;
}

/**
 * Re-enqueues images stuck in `uploaded`. Several workers may sweep at once: each claims an
 * image with a conditional write first (bumping updatedAt, recording enqueuedAt and counting the
 * attempt), so only one of them re-sends it; a duplicate would be harmless anyway, the consumer
 * being idempotent. An image whose attempts are used up ends `failed` instead of going round again.
 *
 * No sweep while messages wait in the queue: an old `uploaded` image may then just be queued, not
 * lost. Re-sending it would lengthen the backlog that made it old and spend its attempts, so an
 * overload would feed itself and end queued images `failed`. A lost message is repaired once the
 * backlog is worked off. The queue is asked only when something is stale: an idle sweep (every
 * second per worker in the chaos configuration) costs one read, not two.
 */
export class RepairStuckImages {
  constructor(
    private readonly table: ImageTable,
    private readonly queue: ImageQueue,
    private readonly clock: Clock,
    private readonly policy: RepairPolicy,
    private readonly limits: ProcessingLimits = UNBOUNDED,
  ) {}

  async execute(): Promise<string[]> {
    const now = this.clock.now();
    const threshold = now - this.policy.stuckAfterMs;
    const stale = await this.table.listStale('uploaded', threshold, this.policy.batchSize);
    if (stale.length === 0 || (await this.queue.backlog()) > 0) return [];
    const repaired: string[] = [];
    for (const image of stale) {
      if ((image.enqueuedAt ?? image.updatedAt) >= threshold) continue; // enqueued recently: queued or running
      let claimed: Image;
      try {
        if ((image.attempts ?? 0) >= this.limits.maxAttempts) {
          await transitionImage(this.table, this.clock, image.id, { to: 'failed', reason: FAILURE.exhausted(image.attempts ?? 0) });
          reached('repair-attempts-exhausted');
          continue;
        }
        claimed = await this.table.update(this.claimed(image, now), image.version, ['uploaded']);
      } catch (err) {
        // Processed meanwhile, or another sweeper won.
        if (err instanceof VersionConflictError || err instanceof TransitionNotAllowedError) {
          reached('repair-claim-lost');
          continue;
        }
        throw err;
      }
      await this.queue.send({ imageId: image.id, item: claimed });
      reached('stuck-upload-re-enqueued');
      repaired.push(image.id);
    }
    return repaired;
  }

  private claimed(image: Image, now: number): Image {
    const counted = Number.isFinite(this.limits.maxAttempts) ? { attempts: (image.attempts ?? 0) + 1 } : {};
    return { ...image, ...counted, version: image.version + 1, updatedAt: now, enqueuedAt: now };
  }
}
