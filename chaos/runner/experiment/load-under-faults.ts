import { setTimeout as sleep } from 'node:timers/promises';
import { type WorkloadResult, runWorkload } from '../../../load/run-workload';
import type { FisExperiment } from '../fis-experiment';
import type { LiveRun } from './live-run';
import type { ExperimentPlan } from './plan-experiment';
import { CHAOS_CLIENT_RETRY, type ExperimentRunOptions, PROCESS_TIMEOUT_SECONDS } from './run-options';

type LoadOptions = Pick<
  ExperimentRunOptions,
  | 'experiment'
  | 'seed'
  | 'runTag'
  | 'rate'
  | 'badShare'
  | 'workload'
  | 'recordedWorkload'
  | 'processTimeoutSeconds'
  | 'awsTemplateId'
  | 'log'
>;

export interface LoadNeeds {
  readonly baseUrl: string;
  readonly fis: FisExperiment;
  readonly plan: ExperimentPlan;
  readonly live: LiveRun;
  readonly fixturesDir: string;
  readonly options: LoadOptions;
}

/** The workload's end: its result, or why the generator itself failed. */
export type WorkloadOutcome = { readonly result: WorkloadResult } | { readonly error: unknown };

export interface LoadUnderFaults {
  readonly loaded: WorkloadOutcome;
  readonly experimentId: string;
  /** What the workload was asked to do (a replay asks it again). */
  readonly workloadOptions: ReturnType<typeof workloadOptionsOf>;
}

/**
 * The workload and the nemesis at the same time, meeting only in the history: the load starts,
 * the FIS experiment after the warm-up (a replayed schedule: at its own start), and this returns
 * once the load is over.
 */
export async function runLoadUnderFaults(needs: LoadNeeds): Promise<LoadUnderFaults> {
  const { fis, plan, live, options } = needs;
  // Ids carry the run tag: runs on one platform never collide; a replay (fresh platform) reuses it.
  const runTag = options.recordedWorkload?.runTag ?? options.runTag ?? `s${options.seed}-${live.startedAt.toString(36)}`;
  const workloadOptions = workloadOptionsOf(needs.baseUrl, options, plan.loadSeconds, runTag);
  const workload = runWorkload({
    ...workloadOptions,
    fixturesDir: needs.fixturesDir,
    historyPath: live.workloadPath,
    onProgress: (p) => (live.progress = p),
  });
  // The generator's own failure must not leave the experiment running: its history then says it did not end.
  const workloadDone = workload.then(
    (result): WorkloadOutcome => ({ result }),
    (error: unknown): WorkloadOutcome => ({ error }),
  );
  await Promise.race([sleep(plan.experimentStartMs), workloadDone]);
  live.phase = 'faults';
  const experimentId = options.awsTemplateId
    ? await fis.startTemplate(options.awsTemplateId, plan.fisSeed)
    : await fis.start(plan.template, plan.fisSeed);
  options.log(
    `${options.experiment}: FIS experiment ${experimentId} started with seed ${plan.fisSeed} (faults for about ${plan.faultSeconds}s)`,
  );
  const loaded = await workloadDone;
  if ('error' in loaded)
    options.log(
      `${options.experiment}: the workload failed: ${loaded.error instanceof Error ? loaded.error.message : String(loaded.error)}`,
    );
  return { loaded, experimentId, workloadOptions };
}

function workloadOptionsOf(baseUrl: string, options: LoadOptions, loadSeconds: number, runTag: string) {
  return {
    baseUrl,
    scenario: 'steady' as const,
    rate: options.rate,
    durationSeconds: loadSeconds,
    seed: options.seed,
    runTag,
    badShare: options.badShare,
    ...options.workload,
    // a recorded workload: its journeys exactly, at their offsets (its seed and runTag are the run's)
    ...(options.recordedWorkload ? { recorded: options.recordedWorkload, seed: options.recordedWorkload.seed } : {}),
    // Faults slow the pipeline (that is their point): a journey waits this long for its image,
    // and whether every image ended at all is the checker's question, after the drain.
    processTimeoutMs: (options.processTimeoutSeconds ?? PROCESS_TIMEOUT_SECONDS) * 1000,
    // A retrying client outlasts the outages the experiments make: a journey that gives up
    // mid-outage is not a platform failure.
    ...CHAOS_CLIENT_RETRY,
  };
}
