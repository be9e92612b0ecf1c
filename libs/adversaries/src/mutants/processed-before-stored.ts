import { Image, ImageState, PROCESSED_PREFIX } from '@imagery/domain';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { override } from '../override';
import { AdversaryDefinition } from '../adversary-definition';

/**
 * Records `processed` before the rendering is stored: the store only renders into memory, and the
 * object is written after the table accepted the transition. A worker that dies in between leaves a
 * processed image whose object does not exist, and its redelivered message finds it done.
 */
export const processedBeforeStored: AdversaryDefinition = {
  name: 'processed-before-stored',
  description: 'the transition to processed is recorded before the processed object is stored',
  catchers: [
    { experiment: 'crash-between-update-and-send', invariant: 'objects-exist' },
    { experiment: 'updateitem-fails-mid-transition', invariant: 'objects-exist' },
  ],
  build: {
    decorate: (p) => {
      const pending = new Map<string, { key: string; bytes: Buffer; contentType: string }>();
      return {
        ...p,
        store: override(p.store, {
          async put(key: string, body: Readable, contentType: string) {
            if (!key.startsWith(PROCESSED_PREFIX)) return p.store.put(key, body, contentType);
            const bytes = await buffer(body); // renders (and fails on a bad image) now; stores later
            pending.set(key.slice(PROCESSED_PREFIX.length).replace(/\.jpg$/, ''), { key, bytes, contentType });
          },
        }),
        table: override(p.table, {
          async update(next: Image, expectedVersion: number, fromStates: readonly ImageState[]) {
            const stored = await p.table.update(next, expectedVersion, fromStates);
            const object = next.state === 'processed' ? pending.get(next.id) : undefined;
            if (object) {
              pending.delete(next.id);
              await p.store.put(object.key, Readable.from([object.bytes]), object.contentType);
            }
            return stored;
          },
        }),
      };
    },
  },
};
