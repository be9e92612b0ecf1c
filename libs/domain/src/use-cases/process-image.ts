import { InvalidImageError } from '../errors';
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
 * The idempotent consumer: it re-reads the item, so duplicate, late and repaired messages are
 * harmless. Transient errors propagate, so the message comes back after its visibility timeout;
 * each one is counted on the item, and an image that has failed `maxAttempts` times ends
 * `failed`, as does one that can never be processed (no raw object) or cannot be decoded.
 */
export class ProcessImage {
  constructor(
    private readonly table: ImageTable,
    private readonly store: ObjectStore,
    private readonly filter: ImageFilter,
    private readonly clock: Clock,
    private readonly limits: ProcessingLimits = UNBOUNDED,
  ) {}

  async execute(rawId: string): Promise<ProcessOutcome> {
    const id = assertImageId(rawId);
    const image = await this.table.get(id);
    if (!image) return 'unknown-image';
    if (image.state === 'processed' || image.state === 'failed') return 'already-done';
    // The transition to uploaded is written before the message is sent, so this is a stray message.
    if (image.state === 'created') return 'not-uploaded';

    if (!image.rawS3Key) return this.fail(id, FAILURE.noRawKey);
    if ((image.attempts ?? 0) >= this.limits.maxAttempts) return this.fail(id, FAILURE.exhausted(image.attempts ?? 0));
    const processedS3Key = processedKeyOf(id);
    try {
      const raw = await this.store.get(image.rawS3Key);
      await this.store.put(processedS3Key, this.filter.sepia(raw), 'image/jpeg');
    } catch (err) {
      if (err instanceof InvalidImageError) return this.fail(id, `${err.reason}: ${err.message}`);
      if (err instanceof ObjectNotFoundError && err.key === image.rawS3Key) return this.fail(id, FAILURE.rawMissing(err.key));
      await this.countFailedAttempt(image);
      throw err;
    }
    await transitionImage(this.table, this.clock, id, { to: 'processed', processedS3Key });
    return 'processed';
  }

  private async fail(id: string, reason: string): Promise<ProcessOutcome> {
    await transitionImage(this.table, this.clock, id, { to: 'failed', reason });
    return 'failed';
  }

  /** Best effort: if even this write fails, the attempt goes uncounted and the error still propagates. */
  private async countFailedAttempt(image: Image): Promise<void> {
    if (!Number.isFinite(this.limits.maxAttempts)) return;
    const next: Image = { ...image, attempts: (image.attempts ?? 0) + 1, version: image.version + 1, updatedAt: this.clock.now() };
    await this.table.update(next, image.version, ['uploaded']).catch(() => undefined);
  }
}
