import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HistoryFileWriter } from '@imagery/history/history-file';
import { loadExperimentTemplate } from '../../chaos/experiments/load-experiment-template';
import { FisExperiment } from '../../chaos/runner/fis-experiment';
import { endExperiment } from '../../chaos/runner/experiment/end-faults';
import type { PlatformSession } from '../../platform/local/session';
import { capDurations } from '../../chaos/runner/template-timing';
import type { Journey } from '../../load/engine/run-load';
import { runLoad } from '../../load/engine/run-load';
import { journeyId } from '../../load/engine/seeded-choices';
import type { HaproxyAvailability } from './haproxy-watch';
import { describeFleetEvents } from './pipeline-phase';
import { CpuUsage, measureCpu } from './proc-cpu';
import { LatencySummary, summarizeLatency } from './round-trip';
import { round1 } from '@imagery/kernel/stats';

export interface ApiLoadOptions {
  readonly name: string;
  readonly session: PlatformSession;
  readonly imageId: string;
  readonly rate: number;
  /** Measured seconds, after `warmupSeconds` of the same load that are left out of every figure. */
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** A template of chaos/experiments/, started through @aws-sdk/client-fis `faultAfterSeconds` into the measured load. */
  readonly fault?: string;
  readonly faultAfterSeconds?: number;
  /** Every fault duration of the template is capped to this (template-timing.ts capDurations). */
  readonly maxFaultSeconds?: number;
  readonly seed: number;
  readonly runDir: string;
  /** Starts watching HAProxy's API servers (haproxy-watch.ts). */
  readonly watchHaproxy?: () => { stop(): Promise<HaproxyAvailability> };
  readonly log: (line: string) => void;
}

export interface ApiLoadResult {
  readonly name: string;
  readonly fault?: string;
  readonly rate: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** The generator's end: completed, or aborted (the run was cut short). */
  readonly workloadOutcome: 'completed' | 'aborted';
  readonly requests: number;
  readonly achievedRate: number;
  /** Non-2xx/3xx answers and network errors (no retries in this script), in the measured window. */
  readonly failed: number;
  /** Arrivals the generator could not send (every journey slot busy) in the measured window: the load it did not offer. */
  readonly droppedIterations: number;
  /** The same, during the warm-up (left out of every figure). */
  readonly warmup: { readonly requests: number; readonly p99: number; readonly dropped: number };
  readonly ms: {
    readonly all: LatencySummary;
    readonly reads: LatencySummary;
    readonly creates: LatencySummary;
    readonly duringFault?: LatencySummary;
  };
  /** When the FIS experiment's actions ran (epoch ms). */
  readonly faultWindow?: { readonly start: number; readonly end: number; readonly actions: string[] };
  readonly fisState?: string;
  readonly cpu: CpuUsage;
  /** HAProxy's API servers during the measured window. */
  readonly haproxy?: HaproxyAvailability;
  /** Fleet events during the run: kills, deaths, replacements. */
  readonly fleetEvents: string[];
}

/**
 * Steady API load through HAProxy at a constant arrival rate (load/engine's constant-arrival-rate
 * semantics): 80 % reads — GET /image/:id of one image created beforehand — and 20 % idempotent
 * creates — PUT /image/<fresh uuid> — chosen per arrival from the seed. No retries: every slow or
 * failed answer counts, this measures the API, not the client. Optionally a FIS experiment starts
 * part-way; every request's end time and latency are kept, so the p99 can also be taken over only
 * the requests that ended while the fault was active. The history goes to <runDir>/<name>-history.jsonl.
 */
export async function runApiLoad(options: ApiLoadOptions): Promise<ApiLoadResult> {
  const fis = options.fault ? new FisExperiment(options.session.fisUrl) : undefined;
  const abort = new AbortController();
  const total = options.warmupSeconds + options.seconds;
  const stopTimer = setTimeout(() => abort.abort(), total * 1000 + 20_000);
  const started = Date.now();
  const ticker = setInterval(() => void logProgress(options, fis, started), 5_000);
  const cpu = measureCpu();
  let watch: { stop(): Promise<HaproxyAvailability> } | undefined;
  const watchTimer = setTimeout(() => (watch = options.watchHaproxy?.()), options.warmupSeconds * 1000);
  try {
    const points: DurationPoint[] = [];
    const dropped: number[] = [];
    const history = await HistoryFileWriter.open(join(options.runDir, `${options.name}-history.jsonl`));
    const load = startLoad(options, readOrCreate(options, points), history, abort.signal, dropped);
    if (fis && options.fault) await startFaultPartWay(fis, options.fault, options);
    const result = await load;
    const usage = cpu.stop();
    const haproxy = await watch?.stop();
    if (fis) await endExperiment(fis, EXPERIMENT_END_TIMEOUT_MS, { ignoreReadErrors: true });
    const faultWindow = faultWindowOf(fis);
    return {
      name: options.name,
      ...(options.fault ? { fault: options.fault } : {}),
      rate: options.rate,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      workloadOutcome: result.outcome,
      ...figuresOf(points, dropped, result.summary.iterations.dropped, started, options.warmupSeconds, faultWindow),
      ...(faultWindow ? { faultWindow } : {}),
      ...(fis ? { fisState: fis.last?.state?.status } : {}),
      cpu: usage,
      ...(haproxy ? { haproxy } : {}),
      fleetEvents: describeFleetEvents(options.session, started, Date.now()),
    };
  } finally {
    abort.abort(); // the load is done by now, unless starting the fault failed: then stop it
    clearTimeout(stopTimer);
    clearTimeout(watchTimer);
    await watch?.stop();
    clearInterval(ticker);
    await fis?.stop();
    fis?.destroy();
  }
}

const GET_SHARE = 0.8;
/** How long past the load the experiment may take to end by itself before it is stopped. */
const EXPERIMENT_END_TIMEOUT_MS = 30_000;

interface DurationPoint {
  /** When the request ended (epoch ms). */
  readonly at: number;
  readonly ms: number;
  readonly scenario: string;
  readonly ok: boolean;
}

type FaultWindow = NonNullable<ApiLoadResult['faultWindow']>;

/** Every 5 s: how far the load is, and which fault actions run. */
async function logProgress(options: ApiLoadOptions, fis: FisExperiment | undefined, started: number): Promise<void> {
  await fis?.refresh().catch(() => undefined);
  const active = fis?.activeActions() ?? [];
  const elapsed = Math.round((Date.now() - started) / 1000);
  const total = options.warmupSeconds + options.seconds;
  options.log(
    `${options.name}: ${elapsed}s/${total}s${elapsed <= options.warmupSeconds ? ' (warm-up)' : ''} at ${options.rate} req/s · ` +
      `faults: ${active.length ? active.join(', ') : 'none'}`,
  );
}

/** One arrival: a read of the image (80 %) or an idempotent create of a fresh id; its end time and latency go to `points`. */
function readOrCreate(options: ApiLoadOptions, points: DurationPoint[]): Journey {
  return async (vu) => {
    const read = vu.random() < GET_SHARE;
    const id = read ? options.imageId : journeyId(options.seed, `api-load-${options.name}`, vu.iteration);
    const sent = performance.now();
    const res = await vu.send(read ? 'get' : 'create', id, {
      method: read ? 'GET' : 'PUT',
      path: `/image/${id}`,
      headers: { accept: 'application/json' },
    });
    const ok = res.status === (read ? 200 : 201);
    points.push({ at: Date.now(), ms: performance.now() - sent, scenario: read ? 'reads' : 'creates', ok });
    return { ok: vu.check(ok), kind: 'good' };
  };
}

/** The load, warm-up included, its history written to `history` as it runs; the drops so far go to `dropped` once a second. */
function startLoad(options: ApiLoadOptions, journey: Journey, history: HistoryFileWriter, signal: AbortSignal, dropped: number[]) {
  const total = options.warmupSeconds + options.seconds;
  return runLoad({
    name: options.name,
    baseUrl: options.session.url,
    // slots for ~3 s answers (faults) before arrivals are dropped
    scenario: {
      executor: 'constant-arrival-rate',
      rate: options.rate,
      duration: total * 1000,
      maxVUs: Math.max(50, options.rate * 3),
      gracefulStop: '5s',
    },
    journey,
    seed: options.seed,
    runTag: `api-load-${options.name}`,
    retry: { maxAttempts: 1, baseMs: 1, maxMs: 1 },
    timeouts: { headersMs: 10_000, bodyMs: 10_000 },
    history,
    replayOptions: {
      bench: 'api-load',
      rate: options.rate,
      seconds: total,
      getShare: GET_SHARE,
      imageId: options.imageId,
      seed: options.seed,
    },
    signal,
    onProgress: (p) => dropped.push(p.dropped), // once a second: when the drops happened, for the warm-up cut
  }).finally(() => history.close());
}

/** Starts the FIS experiment `faultAfterSeconds` into the measured load, its fault durations capped. */
async function startFaultPartWay(fis: FisExperiment, fault: string, options: ApiLoadOptions): Promise<void> {
  await sleep((options.warmupSeconds + (options.faultAfterSeconds ?? 3)) * 1000);
  const template = loadExperimentTemplate(fault);
  const id = await fis.start(options.maxFaultSeconds ? capDurations(template, options.maxFaultSeconds) : template, options.seed);
  options.log(`${options.name}: FIS experiment ${id} (${fault}) started`);
}

/** From the first fault action's start to the last one's end, if any ran. */
function faultWindowOf(fis: FisExperiment | undefined): FaultWindow | undefined {
  const windows = fis?.faultWindows(Date.now()) ?? [];
  if (!windows.length) return undefined;
  return {
    start: Math.min(...windows.map((w) => w.start)),
    end: Math.max(...windows.map((w) => w.end)),
    actions: windows.map((w) => w.action),
  };
}

/** The measured window's figures (the warm-up cut off by end time), and the warm-up's apart. */
function figuresOf(
  points: readonly DurationPoint[],
  dropped: readonly number[],
  droppedInAll: number,
  started: number,
  warmupSeconds: number,
  faultWindow: FaultWindow | undefined,
): Pick<ApiLoadResult, 'requests' | 'achievedRate' | 'failed' | 'droppedIterations' | 'warmup' | 'ms'> {
  const cut = started + warmupSeconds * 1000;
  const measured = points.filter((p) => p.at >= cut);
  const early = points.filter((p) => p.at < cut);
  // drops per second of the run, from the progress ticks: those before the cut belong to the warm-up
  const droppedInWarmup = dropped[Math.min(dropped.length, warmupSeconds) - 1] ?? 0;
  const of = (pred: (p: DurationPoint) => boolean) => summarizeLatency(measured.filter(pred).map((p) => p.ms));
  const last = measured.reduce((max, p) => Math.max(max, p.at), cut);
  return {
    requests: measured.length,
    achievedRate: round1(measured.length / Math.max(0.001, (last - cut) / 1000)),
    failed: measured.filter((p) => !p.ok).length,
    droppedIterations: droppedInAll - droppedInWarmup,
    warmup: { requests: early.length, p99: summarizeLatency(early.map((p) => p.ms)).p99, dropped: droppedInWarmup },
    ms: {
      all: of(() => true),
      reads: of((p) => p.scenario === 'reads'),
      creates: of((p) => p.scenario === 'creates'),
      ...(faultWindow ? { duringFault: of((p) => p.at >= faultWindow.start && p.at <= faultWindow.end) } : {}),
    },
  };
}
