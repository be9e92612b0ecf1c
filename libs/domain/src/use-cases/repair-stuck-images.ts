import { VersionConflictError } from '../errors';
import { Clock } from '../ports/clock.port';
import { ImageQueue } from '../ports/image-queue.port';
import { ImageTable } from '../ports/image-table.port';

export interface RepairPolicy {
  /** An image `uploaded` for longer than this lost its message (SendMessage failed, or a crash). */
  readonly stuckAfterMs: number;
  readonly batchSize: number;
}

/**
 * Re-enqueues images stuck in `uploaded`. Several workers may sweep at once: each claims an
 * image with a conditional write first (bumping updatedAt), so only one of them re-sends it;
 * a duplicate would be harmless anyway, the consumer being idempotent.
 */
export class RepairStuckImages {
  constructor(
    private readonly table: ImageTable,
    private readonly queue: ImageQueue,
    private readonly clock: Clock,
    private readonly policy: RepairPolicy,
  ) {}

  async execute(): Promise<string[]> {
    const now = this.clock.now();
    const stale = await this.table.listStale('uploaded', now - this.policy.stuckAfterMs, this.policy.batchSize);
    const repaired: string[] = [];
    for (const image of stale) {
      try {
        await this.table.update({ ...image, version: image.version + 1, updatedAt: now }, image.version, ['uploaded']);
      } catch (err) {
        if (err instanceof VersionConflictError) continue; // processed meanwhile, or another sweeper won
        throw err;
      }
      await this.queue.send({ imageId: image.id });
      repaired.push(image.id);
    }
    return repaired;
  }
}
