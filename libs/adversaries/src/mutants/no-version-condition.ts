import { Image, ImageState, VersionConflictError } from '@imagery/domain';
import { override } from '../override';
import { AdversaryDefinition } from '../adversary-definition';

/** Races lost to a writer between our read of the stored version and our write, before giving up. */
const MAX_TRIES = 8;

/**
 * Every update is conditional on the state only (`version = :expected` dropped). The port has no
 * such write, so it is made on the stored version, read just before: whatever version is stored, a
 * writer whose state is still allowed lands the item it decided on from its own, older read. The
 * re-read in transitionImage keeps the transitions' window short, but the repair sweep's claim
 * (decided on its listStale page, read before a batch of slow writes) and the worker's failed-attempt
 * count (decided on the read that began the job, before the S3 calls) write from an older read: they
 * roll `version` and `attempts` back, or land a state change on a version a client already saw.
 */
export const noVersionCondition: AdversaryDefinition = {
  name: 'no-version-condition',
  description: 'updates are conditional on the state only: a writer that read an older version lands and rolls version and attempts back',
  catchers: [
    // Slow DynamoDB answers widen every read-to-write window and back the queue up until the sweep
    // claims images a worker is still processing: the worker's transition then lands on the claim's
    // version (uploaded → processed without a bump), or the claim rolls a newer version back.
    { experiment: 'dynamodb-latency', invariant: 'monotonic' },
    // DynamoDB latency plus failing SendMessage (stuck images the sweep claims) plus S3 resets (the
    // worker counts failed attempts from the job's first read): the roll-back the defect is about.
    { experiment: 'storm', invariant: 'monotonic' },
  ],
  maskedBy:
    'the re-read just before every transition and the state condition: only a writer deciding on an older read ' +
    '(the sweep, the failed-attempt count) while its state is still allowed lands',
  build: {
    decorate: (p) => ({
      ...p,
      table: override(p.table, {
        async update(next: Image, expectedVersion: number, fromStates: readonly ImageState[]) {
          for (let tries = 1; ; tries++) {
            const stored = await p.table.get(next.id);
            if (!stored || !fromStates.includes(stored.state)) throw new VersionConflictError(next.id, expectedVersion);
            try {
              return await p.table.update(next, stored.version, fromStates);
            } catch (err) {
              // Someone wrote between our read and our write: a state-only condition would not have noticed.
              if (!(err instanceof VersionConflictError) || tries >= MAX_TRIES) throw err;
            }
          }
        },
      }),
    }),
  },
};
