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
  await endExperiment(fis, FAULTS_END_TIMEOUT_MS, { observe: (experiment) => live.nemesis.observe(experiment) });
  return live.stopStreaming();
}

type ExperimentState = Awaited<ReturnType<FisExperiment['refresh']>>;

export interface EndExperimentOptions {
  /** Sees each state read (the nemesis records what the experiment did). */
  readonly observe?: (experiment: ExperimentState) => void;
  /** A failed read is skipped rather than thrown (the bench measures; the runner's verdict needs every read). */
  readonly ignoreReadErrors?: boolean;
}

/** Reads the FIS experiment until it has ended by itself or `timeoutMs` has passed, then stops it. */
export async function endExperiment(fis: FisExperiment, timeoutMs: number, options: EndExperimentOptions = {}): Promise<void> {
  const read = async (): Promise<void> => {
    const experiment = await (options.ignoreReadErrors ? fis.refresh().catch(() => undefined) : fis.refresh());
    options.observe?.(experiment);
  };
  const deadline = Date.now() + timeoutMs;
  while (!fis.done && Date.now() < deadline) {
    await read();
    if (!fis.done) await sleep(500);
  }
  await fis.stop();
  await read();
}
