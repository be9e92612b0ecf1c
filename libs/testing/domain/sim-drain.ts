import { pollOnce, sweepOnce } from './sim-actors';
import { SimWorld } from './sim-world';

/**
 * The end of an experiment: faults off, then rounds of (let time pass beyond the repair threshold
 * and the visibility timeout, sweep, process everything visible) until the queue is empty and no
 * image is stuck in `uploaded`. Bounded, so a broken build ends too, with what it left behind.
 */
export async function drain(world: SimWorld, maxRounds = 20): Promise<void> {
  world.faults.gate = undefined;
  world.faults.clear();
  const quietMs = Math.max(world.settings.stuckAfterMs, world.settings.visibilityTimeoutSeconds * 1000) + 1;
  for (let round = 0; round < maxRounds; round++) {
    world.clock.advance(quietMs);
    for (let i = 0; i < 100 && (await sweepOnce(world)) > 0; i++);
    for (let i = 0; i < 1000 && (await pollOnce(world, 10)) > 0; i++);
    const stuck = await world.table.listStale('uploaded', Number.MAX_SAFE_INTEGER, 1);
    if (world.queue.messages().length === 0 && stuck.length === 0) return;
  }
}
