import { Clock, ImageFilter, ImageTable, ObjectStore, ProcessOutcome, assertImageId } from '@imagery/domain';
import { seedErrors } from './seed-errors';

/** worker.js: `var processedS3Key = 'processed/' + image.id + '-' + Date.now() + '.png';` */
export const seedProcessedKey = (id: string, now: number): string => `processed/${id}-${now}.png`;

/**
 * worker.js `POST /sqs` (an Elastic Beanstalk worker tier: a thrown error means no 200, so the
 * message comes back): GetItem, render whatever state the item is in, PutObject under a timestamped
 * key, then UpdateItem conditional on `version = :oldVersion AND state IN (uploaded, processed)`
 * with the version read at the start. A duplicate message renders again and adds a second object;
 * a lost race throws after the object is stored. There is no `failed`: an undecodable image throws
 * until the message is dead-lettered. (The seed wrote PNG through Caman; our sepia filter writes
 * JPEG bytes under the seed's key.)
 */
export class SeedProcessImage {
  constructor(
    private readonly table: ImageTable,
    private readonly store: ObjectStore,
    private readonly filter: ImageFilter,
    private readonly clock: Clock,
  ) {}

  execute(rawId: string): Promise<ProcessOutcome> {
    return seedErrors(async (): Promise<ProcessOutcome> => {
      const id = assertImageId(rawId);
      const image = await this.table.get(id);
      if (!image) throw new Error(`image not found: ${id}`);
      if (!image.rawS3Key) throw new Error(`image ${id} has no rawS3Key (the seed's getObject fails on an undefined key)`);
      const now = this.clock.now();
      const processedS3Key = seedProcessedKey(id, now);
      await this.store.put(processedS3Key, this.filter.sepia(await this.store.get(image.rawS3Key)), 'image/jpeg');
      await this.table.update({ ...image, state: 'processed', version: image.version + 1, processedS3Key, updatedAt: now }, image.version, [
        'uploaded',
        'processed',
      ]);
      return 'processed';
    });
  }
}
