import { IMAGE_STATES, Image, VersionConflictError } from '@imagery/domain';
import { override } from '../override';
import { AdversaryDefinition } from '../adversary-definition';

/** Races lost to another writer of the same id before giving up. */
const MAX_TRIES = 8;

/**
 * Create is a blind PutItem (no `attribute_not_exists(id)`): a create that arrives after the upload
 * (an SDK retry whose first try did land, HAProxy redispatching `PUT /image/:id` to another
 * instance) overwrites whatever the image has become with a fresh `created` item, version 0, and
 * answers 201 again. The port has no blind put: it is an update on whatever is stored, which sets
 * every field of the new item (the old keys stay; a PutItem would drop them: `created` either way).
 */
export const noCreateCondition: AdversaryDefinition = {
  name: 'no-create-condition',
  description: 'create without attribute_not_exists(id): a late create resets an uploaded image to created and answers 201 again',
  catchers: [
    // A share of journeys sends its create again after its image was processed; with an API
    // instance killed, retried and redispatched creates too. The real build answers 200, unchanged.
    { experiment: 'kill-api', invariant: 'acknowledged-durable', workload: { lateCreateShare: 0.2 } },
  ],
  build: {
    decorate: (p) => ({
      ...p,
      table: override(p.table, {
        async create(image: Image) {
          for (let tries = 1; ; tries++) {
            const { image: stored, created } = await p.table.create(image);
            if (created) return { image, created: true };
            try {
              await p.table.update(image, stored.version, IMAGE_STATES);
              return { image, created: true };
            } catch (err) {
              if (!(err instanceof VersionConflictError) || tries >= MAX_TRIES) throw err;
            }
          }
        },
      }),
    }),
  },
};
