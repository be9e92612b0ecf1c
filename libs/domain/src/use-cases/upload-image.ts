import { reached } from '../coverage/reached';
import { DomainError, ImageNotFoundError } from '../errors';
import { Image } from '../image';
import { assertImageId } from '../image-id';
import { rawKeyOf } from '../object-keys';
import { Clock } from '../ports/clock.port';
import { ImageFilter, StagedUpload } from '../ports/image-filter.port';
import { ImageQueue } from '../ports/image-queue.port';
import { ObjectStore } from '../ports/object-store.port';
import { ImageTable } from '../ports/image-table.port';
import { applyTransition } from '../state-machine';
import { transitionImage } from './transition-image';

export interface UploadResult {
  readonly image: Image;
  /** False when SendMessage failed: the upload is durable and the repair sweep will enqueue it. */
  readonly enqueued: boolean;
  readonly enqueueError?: unknown;
}

/**
 * Order matters for "acknowledged means durable": check, store the object, record the
 * transition, then enqueue. A crash between any two steps leaves a state a retry (same id)
 * or the repair sweep completes.
 */
export class UploadImage {
  constructor(
    private readonly table: ImageTable,
    private readonly store: ObjectStore,
    private readonly queue: ImageQueue,
    private readonly filter: ImageFilter,
    private readonly clock: Clock,
  ) {}

  async execute(rawId: string, upload: StagedUpload): Promise<UploadResult> {
    const id = assertImageId(rawId);
    const current = await this.table.get(id);
    if (!current) throw new ImageNotFoundError(id);
    const rawS3Key = rawKeyOf(id, upload.sha256);
    // Refuse before touching storage, by the state machine's own rule (the transition re-checks, for races).
    applyTransition(current, { to: 'uploaded', rawS3Key }, this.clock.now());

    const info = await this.filter.inspect(upload);
    await this.store.put(rawS3Key, upload.open(), `image/${info.format}`);
    let image: Image;
    try {
      // Decided on the read above: the write's version condition re-checks it (no second read).
      image = await transitionImage(this.table, this.clock, id, { to: 'uploaded', rawS3Key }, current);
    } catch (err) {
      if (err instanceof DomainError) await this.discardIfOrphan(id, rawS3Key);
      throw err;
    }
    try {
      // Sent on retries too: a retry then also repairs a SendMessage that was lost the first time.
      // The item travels with the message, so the worker need not read it (image-message.ts).
      await this.queue.send({ imageId: id, item: image });
      return { image, enqueued: true };
    } catch (enqueueError) {
      reached('send-failed-left-to-sweep');
      return { image, enqueued: false, enqueueError };
    }
  }

  /** Lost a race to a different upload: our object is nobody's (best effort; raw uploads also expire). */
  private async discardIfOrphan(id: string, rawS3Key: string): Promise<void> {
    const stored = await this.table.get(id).catch(() => undefined);
    if (!stored || stored.rawS3Key === rawS3Key) return;
    reached('rival-upload-orphan-discarded');
    await this.store.delete(rawS3Key).catch(() => undefined);
  }
}
