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
 * Rival uploads of one id show it plainly: the loser of the race lands its raw key over the winner's.
 */
export const noVersionCondition: AdversaryDefinition = {
  name: 'no-version-condition',
  description: 'updates are conditional on the state only: a writer that read an older version lands and rolls version and attempts back',
  catchers: [
    // Two clients upload different images to one id at once: both read `created`, and the second
    // write — on the state only — lands on the first's `uploaded` instead of losing the race. Both
    // are answered 2xx, one acknowledged upload is silently replaced. Slow DynamoDB answers widen the
    // read-to-write window. (The sweep's claim and the failed-attempt count, written from older
    // reads, roll `version` and `attempts` back too, but rarely where a client can see it.)
    { experiment: 'dynamodb-latency', invariant: 'acknowledged-durable', workload: { rivalUploadShare: 0.2 } },
  ],
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
