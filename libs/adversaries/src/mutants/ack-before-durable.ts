import {
  Clock,
  Image,
  ImageFilter,
  ImageNotFoundError,
  ImageTable,
  StagedUpload,
  UploadImage,
  UploadResult,
  applyTransition,
  assertImageId,
  rawKeyOf,
} from '@imagery/domain';
import { Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { AdversaryDefinition } from '../adversary-definition';

/**
 * Answers 200 as soon as the file is checked, then stores the object, records `uploaded` and sends
 * the message in the background (the real use case, unchanged, after the answer). An instance that
 * dies in between has acknowledged an upload that never happened.
 */
class AckBeforeDurableUploadImage {
  private readonly logger = new Logger('AckBeforeDurable');

  constructor(
    private readonly real: UploadImage,
    private readonly table: ImageTable,
    private readonly filter: ImageFilter,
    private readonly clock: Clock,
  ) {}

  async execute(rawId: string, upload: StagedUpload): Promise<UploadResult> {
    const id = assertImageId(rawId);
    const current = await this.table.get(id);
    if (!current) throw new ImageNotFoundError(id);
    const image: Image = applyTransition(current, { to: 'uploaded', rawS3Key: rawKeyOf(id, upload.sha256) }, this.clock.now());
    await this.filter.inspect(upload);
    // The spooled file is discarded once we answer: keep the bytes for the work done afterwards.
    const bytes = await buffer(upload.open());
    const kept: StagedUpload = { path: upload.path, size: upload.size, sha256: upload.sha256, open: () => Readable.from([bytes]) };
    void this.real
      .execute(id, kept)
      .catch((err) => this.logger.warn(`upload of ${id} failed after it was acknowledged: ${(err as Error).message}`));
    return { image, enqueued: true };
  }
}

export const ackBeforeDurable: AdversaryDefinition = {
  name: 'ack-before-durable',
  description: 'the upload is acknowledged before it is stored, recorded and enqueued (those run after the answer)',
  catchers: [
    { experiment: 'crash-between-update-and-send', invariant: 'acknowledged-durable' },
    { experiment: 'kill-api', invariant: 'acknowledged-durable' },
  ],
  build: {
    uploadImage: (p) =>
      new AckBeforeDurableUploadImage(new UploadImage(p.table, p.store, p.queue, p.filter, p.clock), p.table, p.filter, p.clock),
  },
};
