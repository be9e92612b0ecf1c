import { Image, ImageFilter, ImageNotFoundError, ImageQueue, ImageTable, ObjectStore, StagedUpload, assertImageId } from '@imagery/domain';
import type { ProcessOutcome, UploadResult } from '@imagery/domain';

/**
 * DELIBERATELY BROKEN: the seed's first version of the two steps — timestamped object keys (every
 * retry adds an object), no state checks (every message is processed again), no idempotency.
 * It exists so that the checker can be shown to catch it.
 */
export class NaiveUploadImage {
  constructor(private readonly table: ImageTable, private readonly store: ObjectStore, private readonly queue: ImageQueue, private readonly filter: ImageFilter) {}

  async execute(rawId: string, upload: StagedUpload): Promise<UploadResult> {
    const id = assertImageId(rawId);
    const current = await this.table.get(id);
    if (!current) throw new ImageNotFoundError(id);
    const info = await this.filter.inspect(upload);
    const rawS3Key = `upload/${id}-${Date.now()}`;
    await this.store.put(rawS3Key, upload.open(), `image/${info.format}`);
    const image: Image = { ...current, state: 'uploaded', rawS3Key, version: current.version + 1, updatedAt: Date.now() };
    await this.table.update(image, current.version, ['created']);
    // Fire and forget: a lost SendMessage is nobody's problem (and there is no repair sweep).
    const enqueued = await this.queue.send({ imageId: id }).then(() => true, () => false);
    return { image, enqueued };
  }
}

export class NaiveProcessImage {
  constructor(private readonly table: ImageTable, private readonly store: ObjectStore, private readonly filter: ImageFilter) {}

  async execute(rawId: string): Promise<ProcessOutcome> {
    const id = assertImageId(rawId);
    const image = await this.table.get(id);
    if (!image?.rawS3Key) return 'unknown-image';
    const processedS3Key = `processed/${id}-${Date.now()}.jpg`;
    await this.store.put(processedS3Key, this.filter.sepia(await this.store.get(image.rawS3Key)), 'image/jpeg');
    await this.table.update({ ...image, state: 'processed', processedS3Key, version: image.version + 1, updatedAt: Date.now() }, image.version, ['uploaded']);
    return 'processed';
  }
}
