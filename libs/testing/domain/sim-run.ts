import type { HistoryEntry } from '@imagery/history/history-entry';
import type { FinalState } from '@imagery/checker/stored-state';
import type { InvariantOptions } from '@imagery/checker/violation';
import { isFakeSepiaOf } from './fake-image-filter';
import { Gate } from './failure-plan';
import { drain } from './sim-drain';
import { runChaos, runClient, runWorker } from './sim-actors';
import { Scenario, expectedFailedOf } from './sim-scenario';
import { SimOverrides, SimWorld } from './sim-world';

/** How concurrent work is interleaved: fast-check's scheduler fits (`gate` from `schedule`, and `waitFor`). */
export interface Interleaver {
  readonly gate: Gate;
  waitFor<T>(task: Promise<T>): Promise<T>;
}

/** A finished simulated run, as libs/checker reads a real one: the history, the final state, and how to read objects. */
export interface RunRecord {
  readonly history: readonly HistoryEntry[];
  readonly state: FinalState;
  readonly options: InvariantOptions;
}

/**
 * Runs every client, worker and the nemesis concurrently (interleaved at each port call when an
 * interleaver is given), drains, and returns the history with the final state for the checker.
 */
export async function runScenario(scenario: Scenario, overrides: SimOverrides = {}, interleaver?: Interleaver): Promise<RunRecord> {
  const world = new SimWorld(overrides);
  world.faults.gate = interleaver?.gate;
  world.history.workload('start');
  const clients = Promise.all(scenario.clients.map((client, i) => runClient(world, client, i + 1))).then(() =>
    world.history.workload('end'),
  );
  const all = Promise.all([clients, ...scenario.workers.map((steps) => runWorker(world, steps)), runChaos(world, scenario.chaos)]);
  await (interleaver ? interleaver.waitFor(all) : all);
  await drain(world);
  return snapshot(world, scenario);
}

/**
 * The final state of every store, in the checker's terms: items, objects, the main queue (every
 * pending message counts as left over after the drain) and the dead letters; objects are read from
 * the in-memory store and compared with the fake filter's rendering.
 */
export function snapshot(world: SimWorld, scenario: Pick<Scenario, 'clients'>): RunRecord {
  const pending = world.queue.messages().length;
  const deadLetters = world.queue.deadLetters.map((m) => m.body);
  return {
    history: [...world.history.entries],
    state: {
      items: world.table.items().map((item) => ({ ...item })),
      objects: world.store.keys().map((key) => ({ key, size: world.store.bytesOf(key)!.length })),
      queue: { visible: pending, inFlight: 0, delayed: 0 },
      deadLetter: { visible: deadLetters.length, inFlight: 0, messages: deadLetters },
    },
    options: {
      expectedFailed: expectedFailedOf(scenario),
      readObject: (key) => {
        const bytes = world.store.bytesOf(key);
        return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`NoSuchKey: ${key}`));
      },
      compareSepia: isFakeSepiaOf,
    },
  };
}
