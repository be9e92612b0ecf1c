import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BadInputKind } from '@imagery/history/history-entry';
import { HistoryFileWriter, type HistorySink } from '@imagery/history/history-file';
import { HttpClient, type HttpTimeouts } from './engine/http-client';
import { scenarioDurationMs, type RecordedArrivals, type ScenarioConfig } from './engine/executors';
import type { WorkloadProgress } from './engine/progress';
import { runLoad, type Journey } from './engine/run-load';
import { defaultRunTag } from './engine/seeded-choices';
import { summaryText, type WorkloadSummary } from './engine/summary';
import type { ThresholdResult, Thresholds } from './engine/thresholds';
import { loadFixtureSet, type FixtureSet } from './fixture-set';
import {
  ALL_BAD_KINDS,
  imageryJourney,
  imageryScenario,
  imageryThresholds,
  plannedImageryJourney,
  type ImageryKnobs,
  type ScenarioName,
} from './imagery';
import { recordedPlans } from './recorded-journey';
import { recordedWorkloadSchema, type RecordedWorkload } from './recorded-workload';

/**
 * The workload the chaos runner (and `npm run load`) runs: the imagery journeys (load/imagery.ts)
 * on the generator (load/engine/), writing the history.
 */
export interface WorkloadOptions {
  /** The API, or the load balancer in front of it. */
  readonly baseUrl: string;
  /** Default steady. */
  readonly scenario?: ScenarioName;
  /** New journeys per second (spike: the base rate). Default 10. */
  readonly rate?: number;
  /** How long new journeys start. Default 60. */
  readonly durationSeconds?: number;
  /** spike: peak = rate × spikeFactor (default 5), or explicit stages. */
  readonly spikeFactor?: number;
  readonly stages?: ImageryKnobs['stages'];
  /** smoke: journeys. Default 1. */
  readonly iterations?: number;
  /** Default 1. */
  readonly seed?: number;
  /** Per-run nonce in every id and request id: same seed + same runTag = same ids. Default `seed-<seed>`. [A-Za-z0-9._-] */
  readonly runTag?: string;
  /** Share of journeys sending bad input on purpose. Default 0.1. */
  readonly badShare?: number;
  /** Default all four (those without a fixture are left out). */
  readonly badKinds?: readonly BadInputKind[];
  /** Share of good journeys that send their create again once the image is processed (a late create). Default 0. */
  readonly lateCreateShare?: number;
  /** Share of good journeys that upload two different images to their id at once (rival writers). Default 0. */
  readonly rivalUploadShare?: number;
  /** The generated fixtures (load/fixtures.ts). */
  readonly fixturesDir: string;
  /** The history file, appended to (created if missing)… */
  readonly historyPath?: string;
  /** …or a sink of your own (e.g. one shared with the nemesis). One of the two is required. */
  readonly history?: HistorySink;
  /** Tries per request, the first included. Default 8. */
  readonly maxAttempts?: number;
  /** Retry backoff: min(retryMaxMs, retryBaseMs × 2ⁿ⁻¹) × 50–100 %. Default 200, 5000. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Per request: headers and body timeouts (default 10 s each). A timeout is `info` and retried. */
  readonly timeouts?: HttpTimeouts;
  /** Upload acknowledged → processed. Default 30 000. */
  readonly processTimeoutMs?: number;
  /**
   * Polling pause, growing ×1.5. Default 100 → 3000: an image processed in its first 2 s is seen as
   * soon as with a 1 s cap, and a backlog is not fed by its own polls (at 1 s, each waiting image
   * cost a GET a second, more CPU than processing it: crash-between-render-and-record at 10 images/s
   * fell 17 s behind its plan with a 1 s cap and kept up with 3 s).
   */
  readonly pollMinMs?: number;
  readonly pollMaxMs?: number;
  /** Journey slots (k6 VUs); default sized from the rate and processTimeoutMs. */
  readonly preAllocatedVUs?: number;
  readonly maxVUs?: number;
  /** Journeys in flight get this long to finish after the last arrival. */
  readonly gracefulStopSeconds?: number;
  /** Replaces the default thresholds (load/imagery.ts imageryThresholds)… */
  readonly thresholds?: Thresholds;
  /** …or tunes them. Defaults: 1000, 2500, 0.01, 0.99, false. */
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  readonly maxFailedJourneys?: number;
  readonly minChecks?: number;
  readonly abortOnFail?: boolean;
  readonly onProgress?: (progress: WorkloadProgress) => void;
  readonly progressIntervalMs?: number;
  /**
   * Replays these journeys exactly (load/recorded-workload.ts) instead of drawing journeys from the
   * seed: each at its offset, same ids, bytes and request ids. Its seed and runTag replace the
   * options'; scenario, rate, duration and the shares are not used.
   */
  readonly recorded?: RecordedWorkload;
  /** Aborting stops the run (no new journeys, those in flight interrupted): outcome `aborted`. */
  readonly signal?: AbortSignal;
  /** Wait this long for `<baseUrl>/health/live` to answer at all before starting. Default 15 000; 0 skips. */
  readonly preflightTimeoutMs?: number;
}

export interface WorkloadResult {
  readonly outcome: 'completed' | 'aborted';
  readonly summary: WorkloadSummary;
  readonly thresholds: readonly ThresholdResult[];
  readonly thresholdsOk: boolean;
  /** The summary for a terminal. */
  readonly text: string;
  readonly historyPath?: string;
}

export async function runWorkload(options: WorkloadOptions): Promise<WorkloadResult> {
  const knobs = knobsOf(options);
  const { seed, runTag } = options.recorded ?? seedAndRunTag(options);
  if (!options.historyPath && !options.history) throw new Error('historyPath or history is required');
  const fixtures = await loadFixtureSet(resolve(options.fixturesDir));
  const journeys = options.recorded ? recordedJourneys(options.recorded, fixtures, knobs) : seededJourneys(fixtures, knobs, seed, runTag);
  if (options.preflightTimeoutMs !== 0) await preflight(options.baseUrl, options.preflightTimeoutMs ?? 15_000, options.signal);

  const { scenario } = journeys;
  const writer = options.historyPath ? await HistoryFileWriter.open(resolve(options.historyPath)) : undefined;
  try {
    const result = await runLoad({
      name: options.recorded ? 'recorded' : knobs.scenario,
      baseUrl: options.baseUrl,
      scenario,
      journey: journeys.journey,
      seed,
      runTag,
      retry: { maxAttempts: knobs.maxAttempts, baseMs: options.retryBaseMs ?? 200, maxMs: knobs.retryMaxMs },
      timeouts: options.timeouts,
      thresholds: options.thresholds ?? imageryThresholds(knobs),
      history: writer ?? options.history!,
      // everything the choices depend on, so a replay can make the same ones (recordedWorkload reads it back)
      replayOptions: {
        workload: 'imagery',
        ...knobs,
        seed,
        runTag,
        ...journeys.replayOptions,
        retryBaseMs: options.retryBaseMs ?? 200,
        timeouts: options.timeouts ?? {},
        scenarioConfig: scenario,
        // when new journeys started: a recording keeps it, and a recorded run's lasts as long
        arrivalPhaseMs: scenario.executor === 'smoke' ? 0 : scenarioDurationMs(scenario),
        fixtures: {
          seed: fixtures.manifest.seed,
          maxUploadBytes: fixtures.manifest.maxUploadBytes,
          images: fixtures.images.map((f) => f.sha256),
        },
      },
      onProgress: options.onProgress,
      progressIntervalMs: options.progressIntervalMs,
      signal: options.signal,
    });
    return {
      ...result,
      thresholdsOk: result.summary.thresholdsOk,
      text: summaryText(result.summary),
      ...(writer ? { historyPath: writer.path } : {}),
    };
  } finally {
    await writer?.close();
  }
}

/** The journeys and their schedule: what the run sends, and what its start entry says about it. */
interface WorkloadJourneys {
  readonly scenario: ScenarioConfig;
  readonly journey: Journey;
  readonly replayOptions: Readonly<Record<string, unknown>>;
}

/** Journeys drawn from the seed as the scenario schedules them. */
function seededJourneys(fixtures: FixtureSet, knobs: ImageryKnobs, seed: number, runTag: string): WorkloadJourneys {
  const badKinds = knobs.badKinds.filter((kind) => kind === 'bad-id' || fixtures.bad.has(kind));
  if (knobs.badShare > 0 && badKinds.length === 0)
    throw new Error(`badShare ${knobs.badShare} but none of ${knobs.badKinds.join(', ')} has a fixture`);
  const choices = {
    seed,
    runTag,
    badShare: knobs.badShare,
    badKinds,
    images: fixtures.images.length,
    lateCreateShare: knobs.lateCreateShare,
    rivalUploadShare: knobs.rivalUploadShare,
  };
  return { scenario: imageryScenario(knobs), journey: imageryJourney(fixtures, knobs, choices), replayOptions: { badKinds } };
}

/**
 * A recording's journeys, each at its offset. None is dropped (every one has a slot: a replay must
 * send them all); they get the scenario's graceful stop to finish.
 */
function recordedJourneys(recorded: RecordedWorkload, fixtures: FixtureSet, knobs: ImageryKnobs): WorkloadJourneys {
  const workload = recordedWorkloadSchema.parse(recorded);
  const plans = recordedPlans(fixtures, workload.journeys);
  const { gracefulStop } = imageryScenario(knobs);
  const scenario: RecordedArrivals = {
    executor: 'recorded-arrivals',
    arrivals: workload.journeys.map((j) => ({ iteration: j.index, at: j.at })),
    duration: workload.durationMs,
    maxVUs: Math.max(1, workload.journeys.length),
    ...(gracefulStop !== undefined ? { gracefulStop } : {}),
  };
  const journey = plannedImageryJourney(knobs, (vu) => plans.get(vu.iteration)!);
  return { scenario, journey, replayOptions: { recorded: { journeys: workload.journeys.length } } };
}

/** The seed (an integer) and the run tag (it goes into request ids), checked. */
function seedAndRunTag(options: WorkloadOptions): { seed: number; runTag: string } {
  const seed = options.seed ?? 1;
  const runTag = options.runTag ?? defaultRunTag(seed);
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer; got ${seed}`);
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(runTag))
    throw new Error(`runTag must be 1–64 of [A-Za-z0-9._-] (it goes into request ids); got "${runTag}"`);
  return { seed, runTag };
}

function knobsOf(o: WorkloadOptions): ImageryKnobs {
  const knobs: ImageryKnobs = {
    scenario: o.scenario ?? 'steady',
    rate: o.rate ?? 10,
    durationSeconds: o.durationSeconds ?? 60,
    spikeFactor: o.spikeFactor ?? 5,
    ...(o.stages ? { stages: o.stages } : {}),
    iterations: o.iterations ?? 1,
    badShare: o.badShare ?? 0.1,
    badKinds: o.badKinds ?? ALL_BAD_KINDS,
    ...(o.lateCreateShare ? { lateCreateShare: o.lateCreateShare } : {}),
    ...(o.rivalUploadShare ? { rivalUploadShare: o.rivalUploadShare } : {}),
    maxAttempts: o.maxAttempts ?? 8,
    retryMaxMs: o.retryMaxMs ?? 5000,
    processTimeoutMs: o.processTimeoutMs ?? 30_000,
    pollMinMs: o.pollMinMs ?? 100,
    pollMaxMs: o.pollMaxMs ?? 3000,
    ...(o.preAllocatedVUs !== undefined ? { preAllocatedVUs: o.preAllocatedVUs } : {}),
    ...(o.maxVUs !== undefined ? { maxVUs: o.maxVUs } : {}),
    ...(o.gracefulStopSeconds !== undefined ? { gracefulStopSeconds: o.gracefulStopSeconds } : {}),
    p95Ms: o.p95Ms ?? 1000,
    p99Ms: o.p99Ms ?? 2500,
    maxFailedJourneys: o.maxFailedJourneys ?? 0.01,
    minChecks: o.minChecks ?? 0.99,
    abortOnFail: o.abortOnFail ?? false,
  };
  if (!['steady', 'spike', 'smoke'].includes(knobs.scenario))
    throw new Error(`scenario must be steady, spike or smoke; got ${knobs.scenario}`);
  if (!(knobs.rate > 0) || !(knobs.durationSeconds > 0)) throw new Error('rate and durationSeconds must be > 0');
  if (!(knobs.badShare >= 0 && knobs.badShare <= 1)) throw new Error(`badShare must be in 0..1; got ${knobs.badShare}`);
  for (const [name, share] of [
    ['lateCreateShare', o.lateCreateShare],
    ['rivalUploadShare', o.rivalUploadShare],
  ] as const) {
    if (!((share ?? 0) >= 0 && (share ?? 0) <= 1)) throw new Error(`${name} must be in 0..1; got ${share}`);
  }
  for (const kind of knobs.badKinds)
    if (!ALL_BAD_KINDS.includes(kind)) throw new Error(`unknown bad kind ${kind} (known: ${ALL_BAD_KINDS.join(', ')})`);
  if (!(Number.isInteger(knobs.maxAttempts) && knobs.maxAttempts >= 1))
    throw new Error(`maxAttempts must be an integer ≥ 1; got ${knobs.maxAttempts}`);
  if (!(Number.isInteger(knobs.iterations) && knobs.iterations >= 1))
    throw new Error(`iterations must be an integer ≥ 1; got ${knobs.iterations}`);
  return knobs;
}

/** Fails fast, with a clear message, when nothing answers at baseUrl. */
async function preflight(baseUrl: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
  const http = new HttpClient(baseUrl, { timeouts: { headersMs: 2000, bodyMs: 2000 }, connections: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const answer = await http.send({ method: 'GET', path: '/health/live' }, signal);
      if (answer.status !== 0) return;
      if (signal?.aborted || Date.now() > deadline) throw new Error(`nothing answers at ${baseUrl} (${answer.error})`);
      await sleep(250);
    }
  } finally {
    await http.destroy();
  }
}
