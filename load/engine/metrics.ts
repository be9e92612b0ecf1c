import * as hdr from 'hdr-histogram-js';
import type { ClientOp, CompletionType } from '@imagery/history/history-entry';

/**
 * What the generator measures while it runs: counters, and latencies in HDR histograms
 * (microsecond resolution, 3 significant digits, up to 10 minutes), so percentiles are exact to
 * 0.1 % at any rate without keeping every sample.
 */
export const OPS: readonly ClientOp[] = ['create', 'upload', 'get'];
const OUTCOMES: readonly CompletionType[] = ['ok', 'fail', 'info'];

export interface LatencyStats {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export class LatencyHistogram {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  recordMs(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  percentileMs(p: number): number {
    return this.count === 0 ? 0 : this.histogram.getValueAtPercentile(p) / 1000;
  }

  stats(): LatencyStats {
    const h = this.histogram;
    if (h.totalCount === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
    const ms = (v: number) => Math.round(v) / 1000;
    return {
      count: h.totalCount,
      min: ms(h.minNonZeroValue),
      mean: ms(h.mean),
      p50: ms(h.getValueAtPercentile(50)),
      p90: ms(h.getValueAtPercentile(90)),
      p95: ms(h.getValueAtPercentile(95)),
      p99: ms(h.getValueAtPercentile(99)),
      max: ms(h.maxValue),
    };
  }
}

export class WorkloadMetrics {
  /** Completions per op and type. */
  readonly requests: Record<ClientOp, Record<CompletionType, number>> = Object.fromEntries(
    OPS.map((op) => [op, Object.fromEntries(OUTCOMES.map((t) => [t, 0]))]),
  ) as Record<ClientOp, Record<CompletionType, number>>;
  /** Requests that were retries (attempt > 1). */
  retries = 0;
  /** Latency of every request, of successful (2xx) ones, and of successful ones per op. */
  readonly all = new LatencyHistogram();
  readonly successful = new LatencyHistogram();
  readonly successfulByOp: Record<ClientOp, LatencyHistogram> = {
    create: new LatencyHistogram(),
    upload: new LatencyHistogram(),
    get: new LatencyHistogram(),
  };
  /** Upload acknowledged → processed seen. */
  readonly processing = new LatencyHistogram();
  checks = { passes: 0, fails: 0 };
  /** Journeys by kind (good: the full journey; bad: bad input on purpose). */
  readonly journeys = { good: { ok: 0, failed: 0 }, bad: { ok: 0, failed: 0 } };
  /** Journeys cut off (gracefulStop passed, or the run aborted): they did not end as they should. */
  interrupted = 0;
  /** Journeys that threw (a bug, not an answer): they did not end as they should either. */
  journeyErrors = 0;
  readonly ids = new Set<string>();
  readonly processedIds = new Set<string>();

  recordRequest(op: ClientOp, type: CompletionType, attempt: number, ms: number): void {
    this.requests[op][type]++;
    if (attempt > 1) this.retries++;
    this.all.recordMs(ms);
    if (type === 'ok') {
      this.successful.recordMs(ms);
      this.successfulByOp[op].recordMs(ms);
    }
  }

  check(ok: boolean): boolean {
    if (ok) this.checks.passes++;
    else this.checks.fails++;
    return ok;
  }

  get totalRequests(): number {
    let n = 0;
    for (const op of OPS) for (const t of OUTCOMES) n += this.requests[op][t];
    return n;
  }

  /** Answers that were not 2xx: 4xx, 5xx, network errors and timeouts. */
  get errors(): number {
    let n = 0;
    for (const op of OPS) n += this.requests[op].fail + this.requests[op].info;
    return n;
  }

  /** journey_failed's numerator: failed after retries, interrupted, or threw — a rate blind to the last two hides them. */
  get journeysFailed(): number {
    return this.journeys.good.failed + this.journeys.bad.failed + this.interrupted + this.journeyErrors;
  }

  /** Every journey that started and is over, however it ended. */
  get journeysEnded(): number {
    return this.journeys.good.ok + this.journeys.bad.ok + this.journeysFailed;
  }
}
