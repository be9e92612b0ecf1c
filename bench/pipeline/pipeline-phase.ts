import { ScanCommand, ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { join } from 'node:path';
import type { MetricsReader } from '@imagery/control-plane/control-plane';
import type { CompletionEntry } from '@imagery/history/history-entry';
import { readHistoryFile } from '@imagery/history/history-file';
import type { PlatformSession } from '../../platform/local/session';
import { runWorkload, type WorkloadResult } from '../../load/run-workload';
import type { DirectAws } from './direct-aws';
import { AwsCallsServed, countFleetCalls } from './fleet-calls';
import type { HaproxyAvailability } from './haproxy-watch';
import { CpuUsage, measureCpu } from './proc-cpu';
import { LatencySummary, summarizeLatency } from './round-trip';
import { round1, round2 } from '@imagery/kernel/stats';

export interface PipelinePhaseOptions {
  readonly name: string;
  readonly session: PlatformSession;
  readonly aws: DirectAws;
  readonly fixturesDir: string;
  /** New journeys per second (constant arrival rate). */
  readonly rate: number;
  readonly seconds: number;
  /** Skipped at the start of the throughput window: the first images are still in flight. */
  readonly warmupSeconds: number;
  readonly seed: number;
  readonly runDir: string;
  /** Stop the workload this long after the load ends even if journeys are still polling (default 20 s). */
  readonly tailMs?: number;
  /** Journey slots (load/imagery.ts preAllocatedVUs; default there: 3 × rate). */
  readonly preVus?: number;
  /** The fleet's /metrics: what the emulator served the apps during the phase. */
  readonly metrics?: MetricsReader;
  /** Starts watching HAProxy's API servers (haproxy-watch.ts). */
  readonly watchHaproxy?: () => { stop(): Promise<HaproxyAvailability> };
  readonly log: (line: string) => void;
}

export interface PipelinePhaseResult {
  readonly name: string;
  readonly offeredRate: number;
  readonly seconds: number;
  readonly workload: {
    readonly outcome: 'completed' | 'aborted';
    readonly thresholdsOk: boolean;
    readonly requests: number;
    readonly droppedIterations: number;
    readonly serverErrors: number;
    readonly networkErrors: number;
  };
  readonly journeys: number;
  /** The steady window: [first request + warm-up, first request + duration]. */
  readonly window: { readonly start: number; readonly end: number; readonly seconds: number };
  /** Uploads acknowledged and images processed (DynamoDB's processed transition) per second in the window. */
  readonly uploadsPerSecond: number;
  readonly processedPerSecond: number;
  /** Of the journeys that uploaded: processed by the end of the phase. */
  readonly uploaded: number;
  readonly processed: number;
  /**
   * The pipeline kept up with the offered rate: arrivals went out (≤ 1 % dropped), uploads ≥ 95 % of the
   * offered rate and completions ≥ 95 % of the uploads in the window, and no more than ~2 s of work left
   * unprocessed at the end. Its capacity is then at least the offered rate.
   */
  readonly keptUp: boolean;
  /**
   * upload acknowledged (at the client) → processed: as recorded by the worker's transition (updatedAt),
   * and as first seen by polling.
   */
  readonly latencyMs: { readonly exact: LatencySummary; readonly polled: LatencySummary };
  readonly getsPerImage: number;
  /** AWS calls the fleet made during the phase (its imagery_aws_calls_total), i.e. what the emulator served it. */
  readonly awsCalls?: AwsCallsServed;
  readonly haproxy?: HaproxyAvailability;
  /** Fleet events during the phase: kills, deaths, replacements. */
  readonly fleetEvents: string[];
  readonly cpu: CpuUsage;
}

interface Journey {
  uploadEnd?: number;
  processedSeen?: number;
  gets: number;
}

/** What the workload run left: its result, the CPU and HAProxy meanwhile, and the AWS calls the fleet made. */
interface WorkloadRun {
  readonly started: number;
  readonly workload: WorkloadResult;
  readonly cpu: CpuUsage;
  readonly haproxy?: HaproxyAvailability;
  readonly served?: AwsCallsServed;
}

/** Upload→processed per journey, and the counts the rates come from. */
interface Tally {
  readonly exact: number[];
  readonly polled: number[];
  readonly uploaded: number;
  readonly processed: number;
  readonly uploadsInWindow: number;
  readonly gets: number;
}

/**
 * One run of the real workload (load/imagery.ts, steady, no bad input) through HAProxy, then the
 * table is read straight from the emulator: each image's processed transition carries the worker's
 * clock (updatedAt), so upload→processed is measured to the millisecond rather than to the
 * client's poll interval (100 ms growing to 1 s).
 */
export async function runPipelinePhase(options: PipelinePhaseOptions): Promise<PipelinePhaseResult> {
  const historyPath = join(options.runDir, `${options.name}-history.jsonl`);
  const run = await runMeasuredWorkload(options, historyPath);
  const history = (await readHistoryFile(historyPath)).entries.filter(
    (e): e is CompletionEntry => e.type === 'ok' || e.type === 'fail' || e.type === 'info',
  );
  const first = history.reduce((min, e) => Math.min(min, e.time), history.length ? Infinity : run.started);
  const window = { start: first + options.warmupSeconds * 1000, end: first + options.seconds * 1000 };
  const items = await scanSince(options.aws, first - 1_000);
  const processedAt = new Map(items.filter((i) => i.state === 'processed').map((i) => [i.id, i.updatedAt]));
  const journeys = journeysOf(history);
  const t = tally(journeys, processedAt, window);
  // Completions in the window, whichever journey they belong to (the table is the authority).
  const processedInWindow = [...processedAt.values()].filter((at) => at >= window.start && at < window.end).length;
  const windowSeconds = (window.end - window.start) / 1000;
  const summary = run.workload.summary;
  const serverErrors = history.filter((e) => e.status >= 500).length;
  return {
    name: options.name,
    offeredRate: options.rate,
    seconds: options.seconds,
    workload: {
      outcome: run.workload.outcome,
      thresholdsOk: run.workload.thresholdsOk,
      requests: summary.requests.total,
      droppedIterations: summary.iterations.dropped,
      serverErrors,
      networkErrors: Object.values(summary.requests.byOp).reduce((n, o) => n + o.info, 0) - serverErrors,
    },
    journeys: journeys.size,
    window: { ...window, seconds: round1(windowSeconds) },
    uploadsPerSecond: round2(t.uploadsInWindow / windowSeconds),
    processedPerSecond: round2(processedInWindow / windowSeconds),
    uploaded: t.uploaded,
    processed: t.processed,
    keptUp:
      summary.iterations.dropped <= 0.01 * options.rate * options.seconds &&
      t.uploadsInWindow / windowSeconds >= 0.95 * options.rate &&
      processedInWindow >= 0.95 * t.uploadsInWindow &&
      t.uploaded - t.processed <= Math.max(3, 2 * options.rate),
    latencyMs: { exact: summarizeLatency(t.exact), polled: summarizeLatency(t.polled) },
    getsPerImage: round1(t.uploaded ? t.gets / t.uploaded : 0),
    ...(run.served ? { awsCalls: run.served } : {}),
    cpu: run.cpu,
    ...(run.haproxy ? { haproxy: run.haproxy } : {}),
    fleetEvents: describeFleetEvents(options.session, run.started, Date.now()),
  };
}

/** The workload at the phase's rate, progress every 5 s, with CPU, HAProxy and the fleet's AWS calls measured around it. */
async function runMeasuredWorkload(options: PipelinePhaseOptions, historyPath: string): Promise<WorkloadRun> {
  const abort = new AbortController();
  const started = Date.now();
  let lastPrinted = 0;
  const calls = options.metrics ? await countFleetCalls(options.metrics) : undefined;
  const cpu = measureCpu();
  const watch = options.watchHaproxy?.();
  const tailMs = options.tailMs ?? 20_000;
  const stopTimer = setTimeout(() => abort.abort(), options.seconds * 1000 + tailMs + 3_000);
  const workload = await runWorkload({
    baseUrl: options.session.url,
    fixturesDir: options.fixturesDir,
    historyPath,
    scenario: 'steady',
    rate: options.rate,
    durationSeconds: options.seconds,
    badShare: 0,
    seed: options.seed,
    runTag: `bench-${options.name.replace(/[^A-Za-z0-9._-]/g, '')}-${started}`, // a ladder step is named like ladder-80%
    gracefulStopSeconds: tailMs / 1000,
    ...(options.preVus !== undefined ? { preAllocatedVUs: options.preVus } : {}),
    signal: abort.signal,
    onProgress: (p) => {
      if (p.elapsedMs - lastPrinted < 5_000) return;
      lastPrinted = p.elapsedMs;
      options.log(
        `${options.name}: ${Math.round(p.elapsedMs / 1000)}s/${options.seconds}s at ${options.rate}/s · ${p.requests} requests, ` +
          `${p.errors} errors, ${p.processed}/${p.ids} images seen processed`,
      );
    },
  }).finally(() => {
    clearTimeout(stopTimer);
    void watch?.stop(); // on failure too; on success the result is read below
  });
  const usage = cpu.stop();
  const haproxy = await watch?.stop();
  const served = await calls?.stop();
  return { started, workload, cpu: usage, ...(haproxy ? { haproxy } : {}), ...(served ? { served } : {}) };
}

/** Per journey that uploaded: upload→processed from the table (exact) and from the first GET that saw it (polled). */
function tally(
  journeys: ReadonlyMap<string, Journey>,
  processedAt: ReadonlyMap<string, number>,
  window: { start: number; end: number },
): Tally {
  const exact: number[] = [];
  const polled: number[] = [];
  let uploaded = 0;
  let processed = 0;
  let uploadsInWindow = 0;
  let gets = 0;
  for (const [id, j] of journeys) {
    if (j.uploadEnd === undefined) continue;
    uploaded++;
    gets += j.gets;
    if (j.uploadEnd >= window.start && j.uploadEnd < window.end) uploadsInWindow++;
    const at = processedAt.get(id);
    if (at !== undefined) {
      processed++;
      exact.push(at - j.uploadEnd);
    }
    if (j.processedSeen !== undefined) polled.push(j.processedSeen - j.uploadEnd);
  }
  return { exact, polled, uploaded, processed, uploadsInWindow, gets };
}

function journeysOf(history: readonly CompletionEntry[]): Map<string, Journey> {
  const journeys = new Map<string, Journey>();
  for (const e of history) {
    const j = journeys.get(e.id) ?? { gets: 0 };
    journeys.set(e.id, j);
    if (e.op === 'upload' && e.type === 'ok' && j.uploadEnd === undefined) j.uploadEnd = e.time;
    if (e.op === 'get') {
      j.gets++;
      if (e.type === 'ok' && e.state === 'processed' && (j.processedSeen === undefined || e.time < j.processedSeen))
        j.processedSeen = e.time;
    }
  }
  return journeys;
}

interface ItemTimes {
  readonly id: string;
  readonly state: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Every item created since `since`, straight from the emulator (a scan: the bench's table is small). */
export async function scanSince(aws: DirectAws, since: number): Promise<ItemTimes[]> {
  const items: ItemTimes[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await aws.raw.dynamodb.send(
      new ScanCommand({
        TableName: aws.tableName,
        FilterExpression: 'createdAt >= :since',
        ProjectionExpression: 'id, #s, createdAt, updatedAt',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':since': since },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as ItemTimes[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Kills, deaths and replacements in [from, to], one short line each ("+3.2s terminated i-api-1-1"). */
export function describeFleetEvents(session: PlatformSession, from: number, to: number): string[] {
  return session
    .fleetEvents(from, to)
    .filter((e) => e.type !== 'launched' && e.type !== 'healthy')
    .map((e) => `+${((e.at - from) / 1000).toFixed(1)}s ${e.type} ${e.instance}${e.replacement ? ` by ${e.replacement}` : ''}`);
}
