import {
  Clock,
  Image,
  ImageFilter,
  ImageNotFoundError,
  ImageQueue,
  ImageTable,
  ObjectStore,
  StagedUpload,
  UploadResult,
  assertImageId,
} from '@imagery/domain';
import { seedErrors } from './seed-errors';

/** server.js: `var rawS3Key = 'upload/' + image.id + '-' + Date.now();` */
export const seedRawKey = (id: string, now: number): string => `upload/${id}-${now}`;

/**
 * server.js `POST /image/:id/upload`: GetItem, then PutObject under a timestamped key, then UpdateItem
 * conditional on `version = :oldVersion AND state IN (created, uploaded)` with the version read at
 * the start, then SendMessage; any error is thrown (a 500), after whatever already happened.
 * No re-read, no retry of a lost race, no repair of a lost message. The upload is checked to be an
 * image first only because our API shape answers a bad file with a 4xx.
 */
export class SeedUploadImage {
  constructor(
    private readonly table: ImageTable,
    private readonly store: ObjectStore,
    private readonly queue: ImageQueue,
    private readonly filter: ImageFilter,
    private readonly clock: Clock,
  ) {}

  execute(rawId: string, upload: StagedUpload): Promise<UploadResult> {
    return seedErrors(async () => {
      const id = assertImageId(rawId);
      const image = await this.table.get(id);
      if (!image) throw new ImageNotFoundError(id);
      const info = await this.filter.inspect(upload);
      const now = this.clock.now();
      const rawS3Key = seedRawKey(id, now);
      await this.store.put(rawS3Key, upload.open(), `image/${info.format}`);
      const next: Image = { ...image, state: 'uploaded', version: image.version + 1, rawS3Key, updatedAt: now };
      const stored = await this.table.update(next, image.version, ['created', 'uploaded']);
      await this.queue.send({ imageId: id });
      return { image: stored, enqueued: true };
    });
  }
}
