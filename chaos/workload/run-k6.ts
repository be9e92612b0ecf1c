import type { ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { historyEventOf, isHistoryCandidate } from '../history/load-history';
import { spawnOrphanSafe } from '../../scripts/platform/spawn-orphan-safe';
import { toolPath } from '../../scripts/local-aws/repo-root';

/**
 * Runs k6 (the real binary from scripts/tools.sh) on a script, with the history going to a JSON
 * output file, and reports progress while it runs by following that file as it grows (k6 itself
 * runs with --quiet). k6 dies with us: it is spawned orphan-safe (the kernel kills it if this
 * process dies), stopped when this process gets SIGINT/SIGTERM or `signal` aborts, and killed on
 * exit.
 */
export interface RunK6Options {
  /** The k6 script, e.g. load/imagery.js. */
  readonly script: string;
  /** The script's knobs, passed as `-e NAME=value` (undefined values are left out). */
  readonly env?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Where k6 writes its JSON output (`--out json=`): the history. A `.gz` name is gzipped by k6. */
  readonly jsonOut: string;
  /** Where the script's handleSummary writes its JSON summary (passed as SUMMARY_FILE); read back into the result. */
  readonly summaryFile?: string;
  readonly onProgress?: (progress: K6Progress) => void;
  /** Default 1000 ms. */
  readonly progressIntervalMs?: number;
  /** Default: `scripts/tools.sh path k6`. */
  readonly k6Path?: string;
  readonly cwd?: string;
  /** k6's stdout and stderr are appended here as well. */
  readonly logFile?: string;
  /** Aborting stops k6 like Ctrl-C does (it still writes its summary). */
  readonly signal?: AbortSignal;
  /** After asking k6 to stop, kill it if it is still running after this long. Default 15 s. */
  readonly stopGraceMs?: number;
  readonly extraArgs?: readonly string[];
}

/** What the history says so far. */
export interface K6Progress {
  readonly elapsedMs: number;
  /** History events: HTTP responses and network errors. */
  readonly requests: number;
  readonly ok: number;
  readonly clientErrors: number;
  readonly serverErrors: number;
  readonly networkErrors: number;
  /** Requests that were retries (attempt > 1). */
  readonly retries: number;
  /** Distinct image ids seen `processed`. */
  readonly processed: number;
  /** Distinct image ids (journeys) seen at all. */
  readonly ids: number;
}

/**
 * - passed: k6 exit 0
 * - thresholds-crossed: exit 99 — the run went through, a threshold failed
 * - interrupted: stopped by a signal or `signal` (k6 exit 105, or killed)
 * - aborted: the script aborted the test (exit 108, e.g. nothing answered at BASE_URL)
 * - failed: anything else (script error 107, bad options 104, ...)
 */
export type K6Outcome = 'passed' | 'thresholds-crossed' | 'interrupted' | 'aborted' | 'failed';

/** The JSON load/imagery.js's handleSummary writes (SUMMARY_FILE). */
export interface K6Summary {
  readonly scenario: string;
  readonly rate: number;
  readonly duration: string;
  readonly seed: number;
  readonly journeys: { readonly total: number; readonly failed: number; readonly failedRate: number };
  readonly requests: { readonly total: number; readonly perSecond: number; readonly retries: number };
  readonly historyEvents: number;
  readonly thresholds: Readonly<Record<string, ReadonlyArray<{ readonly expression: string; readonly ok: boolean }>>>;
  readonly thresholdsOk: boolean;
  readonly [key: string]: unknown;
}

export interface K6Result {
  readonly exitCode: number | null;
  /** Set when k6 was killed by a signal. */
  readonly signal: NodeJS.Signals | null;
  readonly outcome: K6Outcome;
  readonly thresholdsCrossed: boolean;
  /** The script's JSON summary, if it wrote one. */
  readonly summary?: K6Summary;
  /** k6's stdout: the script's text summary. */
  readonly stdout: string;
  /** The end of k6's stderr (its log), for error messages. */
  readonly stderrTail: string;
  readonly durationMs: number;
  readonly progress: K6Progress;
}

export const K6_EXIT = { thresholdsCrossed: 99, externalAbort: 105, scriptException: 107, scriptAborted: 108 } as const;

export async function runK6(options: RunK6Options): Promise<K6Result> {
  const k6 = options.k6Path ?? toolPath('k6');
  const summaryFile = options.summaryFile ? resolve(options.summaryFile) : undefined;
  const jsonOut = resolve(options.jsonOut);
  if (summaryFile) await rm(summaryFile, { force: true }); // never read a previous run's summary
  await rm(jsonOut, { force: true });

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = String(value);
  if (summaryFile) env.SUMMARY_FILE = summaryFile;
  const args = [
    'run',
    '--quiet',
    '--no-color',
    '--no-usage-report', // offline: no call home
    '--address', '', // no REST API server: runs never fight over port 6565
    '--include-system-env-vars=false', // the script sees only the knobs given here, not this process's env
    '--out', `json=${jsonOut}`,
    ...Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
    ...(options.extraArgs ?? []),
    resolve(options.script),
  ];

  const startedAt = Date.now();
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  const child = spawnOrphanSafe(k6, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
  const stdout: Buffer[] = [];
  let stderrTail = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout.push(chunk);
    log?.write(chunk);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-8192);
    log?.write(chunk);
  });

  const tail = new HistoryTail(jsonOut, startedAt);
  const report = () => options.onProgress?.(tail.progress());
  const ticker = setInterval(() => void tail.poll().then(report, () => undefined), options.progressIntervalMs ?? 1000);

  const stopper = new Stopper(child, options.stopGraceMs ?? 15_000);
  const onAbort = () => stopper.stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stopper.stop();

  try {
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
      child.once('error', fail);
      child.once('close', (code, sig) => done([code, sig]));
    });
    clearInterval(ticker);
    await tail.poll().catch(() => undefined);
    await tail.close();
    report();
    const summary = summaryFile ? await readSummary(summaryFile) : undefined;
    const outcome = outcomeOf(exitCode, signal, stopper.stopping);
    return {
      exitCode,
      signal,
      outcome,
      thresholdsCrossed: exitCode === K6_EXIT.thresholdsCrossed,
      summary,
      stdout: Buffer.concat(stdout).toString(),
      stderrTail,
      durationMs: Date.now() - startedAt,
      progress: tail.progress(),
    };
  } finally {
    clearInterval(ticker);
    await tail.close();
    stopper.dispose();
    options.signal?.removeEventListener('abort', onAbort);
    await closeLog(log);
    stopper.reraise();
  }
}

function outcomeOf(exitCode: number | null, signal: NodeJS.Signals | null, stopped: boolean): K6Outcome {
  if (exitCode === 0) return 'passed';
  if (exitCode === K6_EXIT.thresholdsCrossed && !stopped) return 'thresholds-crossed';
  if (stopped || signal || exitCode === K6_EXIT.externalAbort) return 'interrupted';
  if (exitCode === K6_EXIT.scriptAborted) return 'aborted';
  return 'failed';
}

/** One line for a log: what k6's exit means. */
export function describeK6Result(result: K6Result): string {
  switch (result.outcome) {
    case 'passed':
      return 'k6: all thresholds passed';
    case 'thresholds-crossed': {
      const crossed = Object.entries(result.summary?.thresholds ?? {}).flatMap(([metric, list]) => list.filter((t) => !t.ok).map((t) => `${metric} ${t.expression}`));
      return `k6: thresholds crossed (exit 99)${crossed.length ? `: ${crossed.join('; ')}` : ''}`;
    }
    case 'interrupted':
      return `k6: interrupted (${result.signal ?? `exit ${result.exitCode}`})`;
    default:
      return `k6: ${result.outcome} (exit ${result.exitCode}): ${lastLines(result.stderrTail, 3)}`;
  }
}

const lastLines = (text: string, n: number) => text.trim().split('\n').slice(-n).join(' | ');

async function readSummary(path: string): Promise<K6Summary | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as K6Summary;
  } catch {
    return undefined;
  }
}

function closeLog(log: WriteStream | undefined): Promise<void> {
  return log ? new Promise((done) => log.end(done)) : Promise.resolve();
}

/**
 * Stops k6 when asked (first SIGINT: k6 stops the test, still writes its summary and output) and
 * kills it if it does not go in time; forwards this process's SIGINT/SIGTERM to it; kills it if
 * this process exits. A signal this process got is raised again once k6 is gone, if nobody else
 * was listening for it — so Ctrl-C still ends a program that did not plan for it.
 */
class Stopper {
  stopping = false;
  private killTimer?: NodeJS.Timeout;
  private received?: { signal: NodeJS.Signals; othersListening: boolean };
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.received ??= { signal, othersListening: process.listenerCount(signal) > 1 };
    this.stop();
  };
  private readonly onExit = () => this.kill('SIGKILL');

  constructor(
    private readonly child: ChildProcess,
    private readonly graceMs: number,
  ) {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    process.on('exit', this.onExit);
  }

  stop(): void {
    if (this.stopping) {
      this.kill('SIGKILL');
      return;
    }
    this.stopping = true;
    this.kill('SIGINT');
    this.killTimer = setTimeout(() => this.kill('SIGKILL'), this.graceMs);
    this.killTimer.unref();
  }

  dispose(): void {
    clearTimeout(this.killTimer);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    process.off('exit', this.onExit);
  }

  reraise(): void {
    if (this.received && !this.received.othersListening) process.kill(process.pid, this.received.signal);
  }

  private kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

/** Follows the growing JSON output and counts history events. */
class HistoryTail {
  private handle?: FileHandle;
  private offset = 0;
  private partial = '';
  private readonly decoder = new StringDecoder('utf8'); // a chunk may end inside a character
  private polling?: Promise<void>;
  private readonly ids = new Set<string>();
  private readonly processedIds = new Set<string>();
  private counts = { requests: 0, ok: 0, clientErrors: 0, serverErrors: 0, networkErrors: 0, retries: 0 };

  constructor(
    private readonly path: string,
    private readonly startedAt: number,
  ) {}

  progress(): K6Progress {
    return { elapsedMs: Date.now() - this.startedAt, ...this.counts, processed: this.processedIds.size, ids: this.ids.size };
  }

  /** Reads what was appended since the last poll (one poll at a time). */
  poll(): Promise<void> {
    this.polling ??= this.readNew().finally(() => (this.polling = undefined));
    return this.polling;
  }

  async close(): Promise<void> {
    await this.polling?.catch(() => undefined);
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  private async readNew(): Promise<void> {
    if (this.path.endsWith('.gz')) return; // compressed output can't be followed; counts come at the end only if read separately
    if (!this.handle) {
      try {
        this.handle = await open(this.path, 'r');
      } catch {
        return; // k6 has not created it yet
      }
    }
    const buffer = Buffer.alloc(1 << 20);
    for (;;) {
      const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.offset);
      if (bytesRead === 0) return;
      this.offset += bytesRead;
      const lines = (this.partial + this.decoder.write(buffer.subarray(0, bytesRead))).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) this.count(line);
    }
  }

  private count(line: string): void {
    if (!isHistoryCandidate(line)) return;
    let event;
    try {
      event = historyEventOf(JSON.parse(line));
    } catch {
      return; // progress is best effort; loadHistory reports malformed lines
    }
    if (!event) return;
    const c = this.counts;
    c.requests++;
    if (event.status === 0) c.networkErrors++;
    else if (event.status >= 500) c.serverErrors++;
    else if (event.status >= 400) c.clientErrors++;
    else c.ok++;
    if (event.attempt > 1) c.retries++;
    this.ids.add(event.id);
    if (event.state === 'processed') this.processedIds.add(event.id);
  }
}
