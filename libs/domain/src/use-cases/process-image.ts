import { InvalidImageError } from '../errors';
import { assertImageId } from '../image-id';
import { processedKeyOf } from '../object-keys';
import { Clock } from '../ports/clock.port';
import { ImageFilter } from '../ports/image-filter.port';
import { ObjectStore } from '../ports/object-store.port';
import { ImageTable } from '../ports/image-table.port';
import { transitionImage } from './transition-image';

/** What a consumer did with one message; every outcome means "delete the message". */
export type ProcessOutcome = 'processed' | 'failed' | 'already-done' | 'not-uploaded' | 'unknown-image';

/**
 * The idempotent consumer: it re-reads the item, so duplicate, late and repaired messages are
 * harmless. Transient errors propagate, so the message comes back after its visibility timeout.
 */
export class ProcessImage {
  constructor(
    private readonly table: ImageTable,
    private readonly store: ObjectStore,
    private readonly filter: ImageFilter,
    private readonly clock: Clock,
  ) {}

  async execute(rawId: string): Promise<ProcessOutcome> {
    const id = assertImageId(rawId);
    const image = await this.table.get(id);
    if (!image) return 'unknown-image';
    if (image.state === 'processed' || image.state === 'failed') return 'already-done';
    // The transition to uploaded is written before the message is sent, so this is a stray message.
    if (image.state === 'created') return 'not-uploaded';

    if (!image.rawS3Key) throw new Error(`image ${id} is uploaded but has no rawS3Key`);
    const processedS3Key = processedKeyOf(id);
    try {
      const raw = await this.store.get(image.rawS3Key);
      await this.store.put(processedS3Key, this.filter.sepia(raw), 'image/jpeg');
    } catch (err) {
      if (!(err instanceof InvalidImageError)) throw err;
      await transitionImage(this.table, this.clock, id, { to: 'failed', reason: `${err.reason}: ${err.message}` });
      return 'failed';
    }
    await transitionImage(this.table, this.clock, id, { to: 'processed', processedS3Key });
    return 'processed';
  }
}
