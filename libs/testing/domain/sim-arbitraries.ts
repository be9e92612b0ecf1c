import fc from 'fast-check';
import { PORT_OPERATIONS, PortOperation } from './failure-plan';
import { Interleaver } from './sim-run';
import { ChaosStep, ClientScript, ClientStep, PayloadKind, Scenario, WorkerStep } from './sim-scenario';

const weighted = <T>(...choices: [T, number][]): fc.Arbitrary<T> =>
  fc.oneof(...choices.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

const clientStep: fc.Arbitrary<ClientStep> = fc.record({
  op: weighted<ClientStep['op']>(['create', 3], ['upload', 4], ['get', 2]),
  upperCase: fc.boolean(),
});

const payload = weighted<PayloadKind>(['image', 6], ['undecodable', 2], ['not-an-image', 1]);

const client: fc.Arbitrary<ClientScript> = fc.record({
  id: fc.uuid(),
  payload,
  steps: fc.array(clientStep, { minLength: 1, maxLength: 8 }),
});

const workerSteps: fc.Arbitrary<WorkerStep[]> = fc.array(weighted<WorkerStep>(['poll', 3], ['sweep', 1]), { maxLength: 8 });

/** The calls the use cases make (presignGet and extendVisibility are not on their path). */
const faultable = PORT_OPERATIONS.filter((op): op is PortOperation => op !== 'store.presignGet' && op !== 'queue.extendVisibility');

const chaosStep: fc.Arbitrary<ChaosStep> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1_000, max: 90_000 }) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      operation: fc.constantFrom(...faultable),
      fault: fc.constantFrom('error' as const, 'ambiguous' as const),
      times: fc.integer({ min: 1, max: 2 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('duplicate' as const), index: fc.nat(5) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('rotate' as const), count: fc.integer({ min: 1, max: 3 }) }), weight: 1 },
);

/** A few virtual users, a few workers and a nemesis, all concurrent. */
export const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
  clients: fc.uniqueArray(client, { minLength: 1, maxLength: 4, selector: (c) => c.id.toLowerCase() }),
  workers: fc.array(workerSteps, { minLength: 1, maxLength: 3 }),
  chaos: fc.array(chaosStep, { maxLength: 12 }),
});

/** fast-check's scheduler as an Interleaver: every port call becomes a task it may delay. */
export function interleaverOf(scheduler: fc.Scheduler): Interleaver {
  return {
    gate: (label) => scheduler.schedule(Promise.resolve(), label).then(() => undefined),
    waitFor: (task) => scheduler.waitFor(task),
  };
}

/**
 * Run parameters with a known seed: fast-check prints seed and path on failure; FC_SEED and
 * FC_PATH replay exactly that case, FC_NUM_RUNS changes the budget.
 */
export function propertyParameters<T>(numRuns: number): fc.Parameters<T> {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  return {
    seed,
    path: process.env.FC_PATH,
    numRuns: process.env.FC_NUM_RUNS ? Number(process.env.FC_NUM_RUNS) : numRuns,
    endOnFailure: process.env.FC_SHRINK === '0',
  };
}
