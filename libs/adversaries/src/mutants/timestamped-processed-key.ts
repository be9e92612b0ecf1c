import { Image, ImageState, PROCESSED_PREFIX } from '@imagery/domain';
import { Readable } from 'node:stream';
import { override } from '../override';
import { AdversaryDefinition } from '../adversary-definition';

/**
 * The processed object goes under `processed/<id>-<Date.now()>.jpg` instead of the deterministic
 * key: a render that is repeated (a redelivered message after a crash, two workers on duplicates)
 * leaves its earlier object behind. Done on the ports: the store writes the timestamped key, and
 * the table records, for that image, the key this instance last wrote.
 */
export const timestampedProcessedKey: AdversaryDefinition = {
  name: 'timestamped-processed-key',
  description: 'a non-deterministic processed key (Date.now()): every repeated render adds an object',
  catchers: [
    // A worker killed between storing the render and recording it: the redelivered message renders
    // again, under a new key. (kill-worker and crash-between-update-and-send reach that window only
    // by luck: the matrix saw both pass.)
    { experiment: 'crash-between-render-and-record', invariant: 'nothing-duplicated' },
  ],
  maskedBy:
    'the re-read before processing: only a render repeated before the transition is recorded ' +
    '(a crash in between, or two workers at once) shows',
  build: {
    decorate: (p) => {
      const written = new Map<string, string>();
      const idOf = (key: string) => key.slice(PROCESSED_PREFIX.length).replace(/\.jpg$/, '');
      return {
        ...p,
        store: override(p.store, {
          put(key: string, body: Readable, contentType: string) {
            if (!key.startsWith(PROCESSED_PREFIX)) return p.store.put(key, body, contentType);
            const stamped = `${PROCESSED_PREFIX}${idOf(key)}-${p.clock.now()}.jpg`;
            written.set(idOf(key), stamped);
            return p.store.put(stamped, body, contentType);
          },
        }),
        table: override(p.table, {
          async update(next: Image, expectedVersion: number, fromStates: readonly ImageState[]) {
            const stamped = next.state === 'processed' ? written.get(next.id) : undefined;
            const stored = await p.table.update(stamped ? { ...next, processedS3Key: stamped } : next, expectedVersion, fromStates);
            if (stamped) written.delete(next.id); // recorded; a lost race keeps it for the retry
            return stored;
          },
        }),
      };
    },
  },
};
