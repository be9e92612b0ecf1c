import { setTimeout as sleep } from 'node:timers/promises';
import type { Violation } from '@imagery/checker';
import type { FisExperiment } from '../fis-experiment';
import type { LiveRun } from './live-run';

/** How long past the load the FIS experiment may take to end before it is stopped. */
const FAULTS_END_TIMEOUT_MS = 60_000;

/**
 * The nemesis's end: waits (bounded) for the FIS experiment to finish, stops it, then stops the
 * streaming check. Returns the violations that stopped the experiment (none when none did).
 */
export async function endFaults(fis: FisExperiment, live: LiveRun): Promise<readonly Violation[]> {
  live.phase = 'faults ending';
  const deadline = Date.now() + FAULTS_END_TIMEOUT_MS;
  while (!fis.done && Date.now() < deadline) {
    live.nemesis.observe(await fis.refresh());
    await sleep(500);
  }
  await fis.stop();
  live.nemesis.observe(await fis.refresh());
  return live.stopStreaming();
}
