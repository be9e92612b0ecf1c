import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadExperimentTemplate } from '../chaos/experiments/load-experiment-template';
import { FisExperiment } from '../chaos/runner/fis-experiment';
import type { PlatformSession } from '../chaos/runner/platform-session';
import { capDurations } from '../chaos/runner/template-timing';
import { K6Outcome, runK6 } from '../chaos/workload/run-k6';
import { repoRoot } from '../scripts/local-aws/repo-root';
import type { HaproxyAvailability } from './haproxy-watch';
import { describeFleetEvents } from './pipeline-phase';
import { CpuUsage, measureCpu } from './proc-cpu';
import { LatencySummary, summarizeLatency } from './round-trip';
import { round1 } from './stats';

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
  /** Starts watching HAProxy's API servers (bench/haproxy-watch.ts). */
  readonly watchHaproxy?: () => { stop(): Promise<HaproxyAvailability> };
  readonly log: (line: string) => void;
}

export interface ApiLoadResult {
  readonly name: string;
  readonly fault?: string;
  readonly rate: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly k6Outcome: K6Outcome;
  readonly requests: number;
  readonly achievedRate: number;
  /** Non-2xx/3xx answers and network errors (no retries in this script), in the measured window. */
  readonly failed: number;
  /** Arrivals k6 could not send (no free VU) in the measured window: the load it did not offer. */
  readonly droppedIterations: number;
  /** The same, during the warm-up (left out of every figure). */
  readonly warmup: { readonly requests: number; readonly p99: number; readonly dropped: number };
  readonly ms: { readonly all: LatencySummary; readonly reads: LatencySummary; readonly creates: LatencySummary; readonly duringFault?: LatencySummary };
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
 * bench/api-load.js through HAProxy at a constant arrival rate, optionally with a FIS experiment
 * started part-way; latencies are read back from k6's JSON output (every request), so the p99
 * can also be taken over only the requests that ended while the fault was active.
 */
export async function runApiLoad(options: ApiLoadOptions): Promise<ApiLoadResult> {
  const { log } = options;
  const jsonOut = join(options.runDir, `${options.name}-k6.json`);
  const summaryFile = join(options.runDir, `${options.name}-k6-summary.json`);
  const fis = options.fault ? new FisExperiment(options.session.fisUrl) : undefined;
  const abort = new AbortController();
  const total = options.warmupSeconds + options.seconds;
  const stopTimer = setTimeout(() => abort.abort(), total * 1000 + 20_000);
  const started = Date.now();
  const ticker = setInterval(() => {
    void (fis ? fis.refresh().catch(() => undefined) : Promise.resolve()).then(() => {
      const active = fis?.activeActions() ?? [];
      const elapsed = Math.round((Date.now() - started) / 1000);
      log(`${options.name}: ${elapsed}s/${total}s${elapsed <= options.warmupSeconds ? ' (warm-up)' : ''} at ${options.rate} req/s · faults: ${active.length ? active.join(', ') : 'none'}`);
    });
  }, 5_000);
  const cpu = measureCpu();
  let watch: { stop(): Promise<HaproxyAvailability> } | undefined;
  const watchTimer = setTimeout(() => (watch = options.watchHaproxy?.()), options.warmupSeconds * 1000);
  try {
    const k6 = runK6({
      script: join(repoRoot(), 'bench', 'api-load.js'),
      env: { BASE_URL: options.session.url, IMAGE_ID: options.imageId, RATE: options.rate, DURATION: `${total}s` },
      jsonOut,
      summaryFile,
      logFile: join(options.runDir, `${options.name}-k6.log`),
      signal: abort.signal,
    });
    if (fis && options.fault) {
      await sleep((options.warmupSeconds + (options.faultAfterSeconds ?? 3)) * 1000);
      const template = loadExperimentTemplate(options.fault);
      const id = await fis.start(options.maxFaultSeconds ? capDurations(template, options.maxFaultSeconds) : template, options.seed);
      log(`${options.name}: FIS experiment ${id} (${options.fault}) started`);
    }
    const result = await k6;
    const usage = cpu.stop();
    const haproxy = await watch?.stop();
    if (fis) {
      const deadline = Date.now() + 30_000;
      while (!fis.done && Date.now() < deadline) {
        await fis.refresh().catch(() => undefined);
        if (!fis.done) await sleep(500);
      }
      await fis.stop();
      await fis.refresh().catch(() => undefined);
    }
    const windows = fis?.faultWindows(Date.now()) ?? [];
    const faultWindow = windows.length
      ? { start: Math.min(...windows.map((w) => w.start)), end: Math.max(...windows.map((w) => w.end)), actions: windows.map((w) => w.action) }
      : undefined;

    const { points: all, dropped } = await readPoints(jsonOut);
    const t0 = all.reduce((min, p) => Math.min(min, p.at - p.ms), all.length ? Infinity : started);
    const cut = t0 + options.warmupSeconds * 1000;
    const points = all.filter((p) => p.at >= cut);
    const early = all.filter((p) => p.at < cut);
    const of = (pred: (p: DurationPoint) => boolean) => summarizeLatency(points.filter(pred).map((p) => p.ms));
    const last = points.reduce((max, p) => Math.max(max, p.at), cut);
    const count = (list: readonly { at: number; value: number }[], inWindow: boolean) =>
      list.filter((d) => (d.at >= cut) === inWindow).reduce((n, d) => n + d.value, 0);
    return {
      name: options.name,
      ...(options.fault ? { fault: options.fault } : {}),
      rate: options.rate,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      k6Outcome: result.outcome,
      requests: points.length,
      achievedRate: round1(points.length / Math.max(0.001, (last - cut) / 1000)),
      failed: points.filter((p) => !p.ok).length,
      droppedIterations: count(dropped, true),
      warmup: { requests: early.length, p99: summarizeLatency(early.map((p) => p.ms)).p99, dropped: count(dropped, false) },
      ms: {
        all: of(() => true),
        reads: of((p) => p.scenario === 'reads'),
        creates: of((p) => p.scenario === 'creates'),
        ...(faultWindow ? { duringFault: of((p) => p.at >= faultWindow.start && p.at <= faultWindow.end) } : {}),
      },
      ...(faultWindow ? { faultWindow } : {}),
      ...(fis ? { fisState: fis.last?.state?.status } : {}),
      cpu: usage,
      ...(haproxy ? { haproxy } : {}),
      fleetEvents: describeFleetEvents(options.session, started, Date.now()),
    };
  } finally {
    abort.abort(); // k6 is done by now, unless starting the fault failed: then stop it
    clearTimeout(stopTimer);
    clearTimeout(watchTimer);
    await watch?.stop();
    clearInterval(ticker);
    await fis?.stop();
    fis?.destroy();
  }
}

interface DurationPoint {
  /** When the request ended (epoch ms). */
  readonly at: number;
  readonly ms: number;
  readonly scenario: string;
  readonly ok: boolean;
}

/**
 * Every http_req_duration point of a k6 JSON output (failed requests too: a fast 503 is not a fast
 * answer, but it is an answer), and every dropped_iterations point.
 */
async function readPoints(path: string): Promise<{ points: DurationPoint[]; dropped: { at: number; value: number }[] }> {
  const points: DurationPoint[] = [];
  const dropped: { at: number; value: number }[] = [];
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.includes('"dropped_iterations"') && line.includes('"Point"')) {
      try {
        const sample = JSON.parse(line) as { data: { time: string; value: number } };
        dropped.push({ at: Date.parse(sample.data.time), value: sample.data.value });
      } catch {
        // the last line of an interrupted run
      }
      continue;
    }
    if (!line.includes('"http_req_duration"') || !line.includes('"Point"')) continue;
    let sample: { data?: { time?: string; value?: number; tags?: Record<string, string> } };
    try {
      sample = JSON.parse(line);
    } catch {
      continue; // the last line of an interrupted run
    }
    const data = sample.data;
    if (!data?.time || typeof data.value !== 'number') continue;
    const tags = data.tags ?? {};
    if (tags.name !== 'GET /image/:id' && tags.name !== 'PUT /image/:id') continue;
    points.push({ at: Date.parse(data.time), ms: data.value, scenario: tags.scenario ?? '', ok: tags.expected_response === 'true' });
  }
  return { points, dropped };
}
