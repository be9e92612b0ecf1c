import { Gate } from './fault-plan';
import { drain } from './sim-drain';
import { runChaos, runClient, runWorker } from './sim-actors';
import { HistoryRecorder, RunRecord } from './sim-history';
import { Scenario, expectedOutcomeOf } from './sim-scenario';
import { SimOverrides, SimWorld } from './sim-world';

/** How concurrent work is interleaved: fast-check's scheduler fits (`gate` from `schedule`, and `waitFor`). */
export interface Interleaver {
  readonly gate: Gate;
  waitFor<T>(task: Promise<T>): Promise<T>;
}

/**
 * Runs every client, worker and the nemesis concurrently (interleaved at each port call when an
 * interleaver is given), drains, and returns the history with the final state for the checker.
 */
export async function runScenario(scenario: Scenario, overrides: SimOverrides = {}, interleaver?: Interleaver): Promise<RunRecord> {
  const world = new SimWorld(overrides);
  const history = new HistoryRecorder();
  world.faults.gate = interleaver?.gate;
  const all = Promise.all([
    ...scenario.clients.map((client) => runClient(world, history, client)),
    ...scenario.workers.map((steps) => runWorker(world, steps)),
    runChaos(world, scenario.chaos),
  ]);
  await (interleaver ? interleaver.waitFor(all) : all);
  await drain(world);
  return snapshot(world, scenario, history);
}

export function snapshot(world: SimWorld, scenario: Scenario, history: HistoryRecorder): RunRecord {
  return {
    clients: scenario.clients.map((client) => ({ id: client.id.toLowerCase(), expected: expectedOutcomeOf(client) })),
    events: [...history.events],
    items: world.table.items(),
    objects: world.store.keys().map((key) => ({ key, bytes: world.store.bytesOf(key)! })),
    pendingMessages: world.queue.messages().length,
    deadLetters: world.queue.deadLetters.map((m) => m.body),
  };
}
