import { IMAGE_STATES, Image } from '@imagery/domain';
import { override } from '../override';
import { AdversaryDefinition } from '../adversary-definition';

/**
 * Create is a blind PutItem (no `attribute_not_exists(id)`): a retried create overwrites whatever
 * the image has become with a fresh `created` item and answers 201 again.
 */
export const noCreateCondition: AdversaryDefinition = {
  name: 'no-create-condition',
  description: 'create without attribute_not_exists(id): a retried create resets the image and answers 201 Created again',
  catchers: [
    { experiment: 'kill-api', invariant: 'nothing-duplicated' },
    { experiment: 'crash-between-update-and-send', invariant: 'nothing-duplicated' },
  ],
  build: {
    decorate: (p) => ({
      ...p,
      table: override(p.table, {
        async create(image: Image) {
          const { image: stored, created } = await p.table.create(image);
          // Overwrite what is there, as a PutItem without a condition would.
          if (!created) await p.table.update(image, stored.version, IMAGE_STATES);
          return { image, created: true };
        },
      }),
    }),
  },
};
