import { reached } from '../coverage/reached';
import { InvalidImageError, TransitionNotAllowedError, VersionConflictError } from '../errors';
import { Image } from '../image';
import { assertImageId } from '../image-id';
import { processedKeyOf } from '../object-keys';
import { Clock } from '../ports/clock.port';
import { ImageFilter } from '../ports/image-filter.port';
import { ObjectNotFoundError, ObjectStore } from '../ports/object-store.port';
import { ImageTable } from '../ports/image-table.port';
import { FAILURE, ProcessingLimits, UNBOUNDED } from './processing-limits';
import { transitionImage } from './transition-image';

/** What a consumer did with one message; every outcome means "delete the message". */
export type ProcessOutcome = 'processed' | 'failed' | 'already-done' | 'not-uploaded' | 'unknown-image';

/**
 * The idempotent consumer: it decides on the item as stored, so duplicate, late and repaired
 * messages are harmless. Transient errors propagate, so the message comes back after its visibility
 * timeout; each one is counted on the item, and an image that has failed `maxAttempts` times ends
 * `failed`, as does one that can never be processed (no raw object) or cannot be decoded.
 *
 * `known` is the item as the message carried it (ImageMessage.item). The job then starts without a
 * read: every write it makes is conditional on that version, and a conflict re-reads and decides
 * (transitionImage). A stale copy costs a render at worst: the processed key is deterministic, and
 * a rendering made for an image found `failed` meanwhile is removed.
 */
export class ProcessImage {
  constructor(
    private readonly table: ImageTable,
    private readonly store: ObjectStore,
    private readonly filter: ImageFilter,
    private readonly clock: Clock,
    private readonly limits: ProcessingLimits = UNBOUNDED,
  ) {}

  async execute(rawId: string, known?: Image): Promise<ProcessOutcome> {
    const id = assertImageId(rawId);
    const image = known?.id === id ? known : await this.table.get(id);
    if (!image) return 'unknown-image';
    // Terminal states stay terminal, so a copy that says so is as good as a read.
    if (image.state === 'processed' || image.state === 'failed') {
      reached('duplicate-message-already-done', image.state);
      return 'already-done';
    }
    // The transition to uploaded is written before the message is sent, so this is a stray message.
    if (image.state === 'created') return 'not-uploaded';

    if (!image.rawS3Key) return this.fail(image, FAILURE.noRawKey);
    if ((image.attempts ?? 0) >= this.limits.maxAttempts) {
      reached('job-attempts-exhausted');
      return this.fail(image, FAILURE.exhausted(image.attempts ?? 0));
    }
    const processedS3Key = processedKeyOf(id);
    try {
      const raw = await this.store.get(image.rawS3Key);
      await this.store.put(processedS3Key, this.filter.sepia(raw), 'image/jpeg');
    } catch (err) {
      if (err instanceof InvalidImageError) {
        reached('undecodable-image-failed');
        return this.fail(image, `${err.reason}: ${err.message}`);
      }
      if (err instanceof ObjectNotFoundError && err.key === image.rawS3Key) {
        reached('raw-object-missing-failed');
        return this.fail(image, FAILURE.rawMissing(err.key));
      }
      await this.countFailedAttempt(image);
      throw err;
    }
    return this.recordProcessed(image, processedS3Key);
  }

  /**
   * A lost race to `failed` (attempts used up by others meanwhile, or a stale copy of the item)
   * leaves our rendering nobody's: it is removed (best effort) and the job is done.
   */
  private async recordProcessed(image: Image, processedS3Key: string): Promise<ProcessOutcome> {
    try {
      await transitionImage(this.table, this.clock, image.id, { to: 'processed', processedS3Key }, image);
      return 'processed';
    } catch (err) {
      if (!(err instanceof TransitionNotAllowedError)) throw err;
      reached('render-discarded-image-failed');
      await this.store.delete(processedS3Key).catch(() => undefined);
      return 'already-done';
    }
  }

  private async fail(image: Image, reason: string): Promise<ProcessOutcome> {
    await transitionImage(this.table, this.clock, image.id, { to: 'failed', reason }, image);
    return 'failed';
  }

  /**
   * Best effort: if even this write fails, the attempt goes uncounted and the error still propagates.
   * A stale copy (the message's) is re-read once, so the count does not depend on how fresh it was.
   */
  private async countFailedAttempt(image: Image): Promise<void> {
    if (!Number.isFinite(this.limits.maxAttempts)) return;
    try {
      await this.table.update(this.withAttemptCounted(image), image.version, ['uploaded']);
    } catch (err) {
      if (!(err instanceof VersionConflictError)) return;
      const fresh = await this.table.get(image.id).catch(() => undefined);
      if (fresh?.state !== 'uploaded') return;
      await this.table.update(this.withAttemptCounted(fresh), fresh.version, ['uploaded']).catch(() => undefined);
    }
  }

  private withAttemptCounted(image: Image): Image {
    return { ...image, attempts: (image.attempts ?? 0) + 1, version: image.version + 1, updatedAt: this.clock.now() };
  }
}
