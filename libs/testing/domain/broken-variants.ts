import { Image, ImageState } from '@imagery/domain/image';
import { processedKeyOf } from '@imagery/domain/object-keys';
import { Clock } from '@imagery/domain/ports/clock.port';
import { ImageFilter } from '@imagery/domain/ports/image-filter.port';
import { ImageTable } from '@imagery/domain/ports/image-table.port';
import { ObjectStore } from '@imagery/domain/ports/object-store.port';
import { InMemoryImageTable } from './in-memory-image-table';
import { Processor } from './sim-world';

/*
 * Deliberately broken builds, to show the invariant checker catches what it is meant to catch.
 * Never use them outside tests that expect violations.
 */

/** Writes every update, whatever the stored version and state: no ConditionExpression. */
export class NaiveImageTable extends InMemoryImageTable {
  override async update(next: Image, _expectedVersion: number, _fromStates: readonly ImageState[]): Promise<Image> {
    this.seed(next);
    return { ...next };
  }
}

/** Renders and stores the processed object but never records the transition to `processed`. */
export const skipTransitionProcessor = (_table: ImageTable, store: ObjectStore, filter: ImageFilter, _clock: Clock): Processor => ({
  async execute(id: string) {
    const image = await _table.get(id);
    if (!image?.rawS3Key) return;
    await store.put(processedKeyOf(id), filter.sepia(await store.get(image.rawS3Key)), 'image/jpeg');
  },
});

/** The seed's mistake: a timestamped processed key, so every retry leaves the previous object behind. */
export const timestampedKeyProcessor = (table: ImageTable, store: ObjectStore, filter: ImageFilter, clock: Clock): Processor => {
  let attempts = 0;
  return {
    async execute(id: string) {
      const image = await table.get(id);
      if (!image || image.state !== 'uploaded' || !image.rawS3Key) return;
      const key = `processed/${id}-${clock.now()}-${++attempts}.jpg`;
      await store.put(key, filter.sepia(await store.get(image.rawS3Key)), 'image/jpeg');
      await table.update({ ...image, state: 'processed', processedS3Key: key, version: image.version + 1 }, image.version, ['uploaded']);
    },
  };
};
