import { Clock, ImageFilter, ImageTable, InvalidImageError, ObjectStore, ProcessOutcome, assertImageId, processedKeyOf, transitionImage } from '@imagery/domain';
import { AdversaryDefinition } from '../adversary-definition';

/**
 * The consumer renders whatever its message names without first checking whether the image is
 * already done: a duplicate or late message renders and stores again, then records the transition.
 * (The real ProcessImage with its state check removed.)
 */
class NoRereadProcessImage {
  constructor(private readonly table: ImageTable, private readonly store: ObjectStore, private readonly filter: ImageFilter, private readonly clock: Clock) {}

  async execute(rawId: string): Promise<ProcessOutcome> {
    const id = assertImageId(rawId);
    const image = await this.table.get(id);
    if (!image) return 'unknown-image';
    if (!image.rawS3Key) throw new Error(`image ${id} has no rawS3Key`);
    const processedS3Key = processedKeyOf(id);
    try {
      await this.store.put(processedS3Key, this.filter.sepia(await this.store.get(image.rawS3Key)), 'image/jpeg');
    } catch (err) {
      if (!(err instanceof InvalidImageError)) throw err;
      await transitionImage(this.table, this.clock, id, { to: 'failed', reason: `${err.reason}: ${err.message}` });
      return 'failed';
    }
    await transitionImage(this.table, this.clock, id, { to: 'processed', processedS3Key });
    return 'processed';
  }
}

export const noRereadBeforeProcessing: AdversaryDefinition = {
  name: 'no-reread-before-processing',
  description: 'the consumer skips the re-read of the state before rendering: every duplicate message renders and stores again',
  catchers: [
    { experiment: 'crash-between-update-and-send', invariant: 'nothing-duplicated' },
    { experiment: 'updateitem-fails-mid-transition', invariant: 'nothing-duplicated' },
  ],
  maskedBy: 'the deterministic processed key and the idempotent transition: a second render overwrites the same object with the same bytes',
  build: { processImage: (p) => new NoRereadProcessImage(p.table, p.store, p.filter, p.clock) },
};
