import { override } from '../override';
import { AdversaryDefinition } from '../adversary-definition';

/**
 * Drops `version = :expected` from every transition's condition: the write is checked against the
 * stored item's current version instead of the one the caller read, i.e. only the state is checked.
 */
export const noVersionCondition: AdversaryDefinition = {
  name: 'no-version-condition',
  description: 'transitions are conditional on the state only: a writer that read an older version still lands',
  catchers: [
    // A repair sweep slowed down by DynamoDB latency writes its stale "bump" over a newer version.
    { experiment: 'dynamodb-latency', invariant: 'monotonic' },
    { experiment: 'updateitem-fails-mid-transition', invariant: 'monotonic' },
  ],
  maskedBy: 'the state condition and the re-read just before every transition: only a stale writer whose state is still allowed (the repair sweep) gets through',
  build: {
    decorate: (p) => ({
      ...p,
      table: override(p.table, {
        async update(next, expectedVersion, fromStates) {
          const stored = await p.table.get(next.id);
          return p.table.update(next, stored?.version ?? expectedVersion, fromStates);
        },
      }),
    }),
  },
};
