import { IMAGE_STATES } from '@imagery/domain';
import { override } from '../override';
import { AdversaryDefinition } from '../adversary-definition';

/** Drops `state IN (...)` from every transition's condition: only the version is checked. */
export const noStateCondition: AdversaryDefinition = {
  name: 'no-state-condition',
  description: 'transitions are conditional on the version only: any state may be overwritten by any transition',
  catchers: [
    { experiment: 'updateitem-fails-mid-transition', invariant: 'monotonic' },
    { experiment: 'crash-between-update-and-send', invariant: 'monotonic' },
  ],
  maskedBy: 'the version condition: every writer decides on the state it read at the version it writes on, so the state check is redundant unless two writers race',
  build: {
    decorate: (p) => ({
      ...p,
      table: override(p.table, { update: (next, expectedVersion) => p.table.update(next, expectedVersion, IMAGE_STATES) }),
    }),
  },
};
