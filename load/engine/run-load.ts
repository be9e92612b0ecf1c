import type { HistorySink } from '@imagery/history/history-file';
import { ExecutorCounts, ExecutorRun, Iteration, runExecutor, ScenarioConfig, scenarioDurationMs } from './executors';
import { HttpClient, HttpTimeouts } from './http-client';
import { WorkloadMetrics } from './metrics';
import type { WorkloadProgress } from './progress';
import { iterationRandom, retryRandom } from './seeded-choices';
import { buildSummary, WorkloadSummary } from './summary';
import { ThresholdResult, ThresholdSet, Thresholds } from './thresholds';
import { RetryPolicy, VirtualUser, type VirtualUserDeps } from './virtual-user';

/**
 * The generator, independent of what the journeys do: runs `journey` as `scenario` says against
 * `baseUrl`, writes the history (workload start, every request's invoke and completion, workload
 * end), measures, evaluates thresholds (aborting on an abortOnFail one), reports progress and
 * returns the summary. load/run-workload.ts runs the imagery journeys with it; the benchmarks
 * run their own.
 */
export interface JourneyEnd {
  readonly ok: boolean;
  /** good: the full journey; bad: bad input on purpose. */
  readonly kind: 'good' | 'bad';
}

export type Journey = (vu: VirtualUser) => Promise<JourneyEnd>;

export interface LoadOptions {
  /** The scenario's name (steady, spike, smoke...). */
  readonly name: string;
  readonly baseUrl: string;
  readonly scenario: ScenarioConfig;
  readonly journey: Journey;
  readonly seed: number;
  readonly runTag: string;
  readonly retry: RetryPolicy;
  readonly timeouts?: HttpTimeouts;
  /**
   * Sockets to the API (opened only as concurrency needs them). Default: the scenario's maxVUs, at
   * most 256: more sockets cost more than they give against one API.
   */
  readonly connections?: number;
  readonly thresholds?: Thresholds;
  readonly history: HistorySink;
  /** Written in the workload `start` entry: what a replay needs. */
  readonly replayOptions: Readonly<Record<string, unknown>>;
  readonly onProgress?: (progress: WorkloadProgress) => void;
  /** Default 1000 ms. */
  readonly progressIntervalMs?: number;
  /** Aborting stops the run: no new journeys, those in flight interrupted; outcome `aborted`. */
  readonly signal?: AbortSignal;
}

export interface LoadResult {
  readonly outcome: 'completed' | 'aborted';
  readonly summary: WorkloadSummary;
  readonly thresholds: readonly ThresholdResult[];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const thresholds = new ThresholdSet(options.thresholds); // refuses bad expressions before anything starts
  const metrics = new WorkloadMetrics();
  const scenario = options.scenario;
  const maxVUs = scenario.executor === 'smoke' ? 1 : Math.max(scenario.maxVUs, scenario.preAllocatedVUs ?? 0);
  const http = new HttpClient(options.baseUrl, {
    timeouts: options.timeouts,
    connections: options.connections ?? Math.min(256, Math.max(4, maxVUs)),
  });
  const stop = new AbortController();
  let abortReason: string | undefined;
  const abort = (reason: string) => {
    abortReason ??= reason;
    stop.abort();
  };
  const onSignal = () => abort('signal');
  if (options.signal?.aborted) onSignal();
  options.signal?.addEventListener('abort', onSignal, { once: true });

  const deps = { http, history: options.history, metrics, retry: options.retry, runTag: options.runTag };
  const startedAt = Date.now();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  // thresholdCount: an `end` that carries no thresholds when some were due is then visibly short.
  const thresholdCount = thresholds.size;
  options.history.append({ type: 'workload', time: startedAt, phase: 'start', options: options.replayOptions, thresholdCount });

  const run = runExecutor(scenario, journeyIteration(options, deps), stop.signal);
  const progress = progressOf(metrics, run.counts, t0, scenarioDurationMs(scenario));
  const ticker = setInterval(() => {
    const crossed = thresholds.crossedAbortingThreshold({ metrics, dropped: run.counts.dropped }, performance.now() - t0);
    if (crossed) abort(`threshold ${crossed.metric} ${crossed.expression} crossed (${crossed.value})`);
    options.onProgress?.(progress());
  }, options.progressIntervalMs ?? 1000);

  try {
    await run.done;
  } finally {
    clearInterval(ticker);
    options.signal?.removeEventListener('abort', onSignal);
    await (stop.signal.aborted ? http.destroy() : http.close()).catch(() => undefined);
  }
  const ran: FinishedRun = {
    outcome: stop.signal.aborted ? 'aborted' : 'completed',
    abortReason,
    startedAt,
    durationMs: performance.now() - t0,
    cpu: process.cpuUsage(cpu0),
    metrics,
    run,
    thresholds,
    progress,
  };
  return finishLoad(options, ran);
}

/** One iteration: the journey on a fresh virtual user, counted by how it ended. */
function journeyIteration(options: LoadOptions, deps: VirtualUserDeps): Iteration {
  const { metrics } = deps;
  return async (iteration, signal, offsetMs) => {
    const start = { offsetMs, jitter: retryRandom(options.seed, iteration) };
    const vu = new VirtualUser(iteration, iterationRandom(options.seed, iteration), signal, deps, start);
    let end: JourneyEnd;
    try {
      end = await options.journey(vu);
    } catch (error) {
      // Counted as the executor counts it (interrupted if cut off, else a bug): either way a failed journey.
      if (signal.aborted) metrics.interrupted++;
      else metrics.journeyErrors++;
      throw error;
    }
    if (signal.aborted) metrics.interrupted++;
    else metrics.journeys[end.kind][end.ok ? 'ok' : 'failed']++;
    return end.ok;
  };
}

/** The progress as of now, from the metrics and the executor's live counts. */
function progressOf(metrics: WorkloadMetrics, counts: ExecutorCounts, t0: number, totalMs: number): () => WorkloadProgress {
  return () => ({
    elapsedMs: performance.now() - t0,
    totalMs,
    requests: metrics.totalRequests,
    errors: metrics.errors,
    retries: metrics.retries,
    dropped: counts.dropped,
    processed: metrics.processedIds.size,
    ids: metrics.ids.size,
    activeJourneys: counts.active,
    journeysOk: counts.ok,
    journeysFailed: counts.failed,
  });
}

/** A run once its executor is done: what its end entry and summary are made of. */
interface FinishedRun {
  readonly outcome: 'completed' | 'aborted';
  readonly abortReason: string | undefined;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly cpu: NodeJS.CpuUsage;
  readonly metrics: WorkloadMetrics;
  readonly run: ExecutorRun;
  readonly thresholds: ThresholdSet;
  readonly progress: () => WorkloadProgress;
}

/**
 * Evaluates the thresholds, builds the summary and writes the workload `end`. The `end` is written
 * last: once the thresholds and the summary exist. Written first, a throw in between left a clean
 * `completed` end with no thresholds, which a verdict read as a pass.
 */
function finishLoad(options: LoadOptions, ran: FinishedRun): LoadResult {
  const { outcome, abortReason, metrics, run } = ran;
  const counts = run.counts;
  const journeyCounts = { interrupted: metrics.interrupted, journeyErrors: metrics.journeyErrors };
  let results: ThresholdResult[];
  let summary: WorkloadSummary;
  try {
    options.onProgress?.(ran.progress());
    results = ran.thresholds.evaluate({ metrics, dropped: counts.dropped });
    summary = buildSummary({
      scenario: options.name,
      executor: options.scenario.executor,
      baseUrl: options.baseUrl,
      seed: options.seed,
      runTag: options.runTag,
      outcome,
      abortReason,
      startedAt: ran.startedAt,
      durationMs: ran.durationMs,
      metrics,
      counts,
      thresholds: results,
      cpu: ran.cpu,
      journeyErrors: run.errors,
    });
  } catch (error) {
    const reason = `the workload's thresholds or summary could not be computed: ${error instanceof Error ? error.message : String(error)}`;
    options.history.append({ type: 'workload', time: Date.now(), phase: 'end', outcome: 'aborted', reason, ...journeyCounts });
    throw error;
  }
  options.history.append({
    type: 'workload',
    time: Date.now(),
    phase: 'end',
    outcome,
    ...(abortReason ? { reason: abortReason } : {}),
    thresholds: results.map(({ metric, expression, ok, value }) => ({ metric, expression, ok, ...(value === undefined ? {} : { value }) })),
    ...journeyCounts,
  });
  return { outcome, summary, thresholds: results };
}
