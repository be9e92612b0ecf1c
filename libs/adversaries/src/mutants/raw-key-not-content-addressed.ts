import { StagedUpload, UploadImage } from '@imagery/domain';
import { createHash } from 'node:crypto';
import { AdversaryDefinition } from '../adversary-definition';

/**
 * The raw key is built from a hash of the image id instead of the bytes (the hash taken of the
 * wrong value): the key still looks content-addressed, but a retry with other bytes overwrites
 * the same key and no reader can verify an object against its name.
 */
export const rawKeyNotContentAddressed: AdversaryDefinition = {
  name: 'raw-key-not-content-addressed',
  description: 'upload stores the raw object under upload/<id>/<sha256 of the id>, not of its content',
  // Every upload breaks it, so any experiment kills it: first the one the matrix runs anyway
  // (no-repair-sweep's only catcher), so the real build need not run plain kill-api as well.
  catchers: [
    { experiment: 'sendmessage-fails', invariant: 'raw-matches-key' },
    { experiment: 'kill-api', invariant: 'raw-matches-key' },
  ],
  build: {
    uploadImage: (p) => {
      const real = new UploadImage(p.table, p.store, p.queue, p.filter, p.clock);
      const wrongHash = (id: string) => createHash('sha256').update(id).digest('hex');
      return {
        execute: (id: string, upload: StagedUpload) =>
          real.execute(id, { path: upload.path, size: upload.size, sha256: wrongHash(id), open: () => upload.open() }),
      };
    },
  },
};
