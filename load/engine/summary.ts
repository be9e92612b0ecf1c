import type { ClientOp, CompletionType } from '@imagery/history/history-entry';
import { round1, round2, round3 } from '@imagery/kernel/stats';
import type { ExecutorCounts } from './executors';
import { LatencyStats, OPS, WorkloadMetrics } from './metrics';
import type { ThresholdResult } from './thresholds';

/** The end-of-run summary (JSON); summaryText() is the same for a terminal. */
export interface WorkloadSummary {
  readonly scenario: string;
  readonly executor: string;
  readonly baseUrl: string;
  readonly seed: number;
  readonly runTag: string;
  readonly outcome: 'completed' | 'aborted';
  /** Why it was aborted: a threshold's expression, or `signal`. */
  readonly abortReason?: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly requests: {
    readonly total: number;
    readonly perSecond: number;
    readonly retries: number;
    readonly byOp: Readonly<Record<ClientOp, Readonly<Record<CompletionType, number>>>>;
  };
  readonly latencyMs: {
    readonly all: LatencyStats;
    readonly successful: LatencyStats;
    readonly successfulByOp: Readonly<Record<ClientOp, LatencyStats>>;
    readonly processing: LatencyStats;
  };
  readonly journeys: {
    readonly ok: number;
    readonly failed: number;
    readonly interrupted: number;
    /** journey_failed: failed after retries, threw, or interrupted, over every journey that ended. */
    readonly failedRate: number;
    readonly good: { readonly ok: number; readonly failed: number };
    readonly bad: { readonly ok: number; readonly failed: number };
  };
  readonly iterations: { readonly arrivals: number; readonly started: number; readonly dropped: number };
  readonly checks: { readonly passes: number; readonly fails: number };
  readonly ids: number;
  readonly processed: number;
  readonly thresholds: readonly ThresholdResult[];
  readonly thresholdsOk: boolean;
  /** CPU time of the generator's process (process.cpuUsage) over the run. */
  readonly cpu: { readonly userMs: number; readonly systemMs: number; readonly msPer1000Requests: number; readonly cores: number };
  /** Errors thrown by journeys (bugs), if any. */
  readonly journeyErrors?: readonly string[];
}

export interface SummaryInputs extends Pick<
  WorkloadSummary,
  'scenario' | 'executor' | 'baseUrl' | 'seed' | 'runTag' | 'outcome' | 'abortReason'
> {
  readonly startedAt: number;
  readonly durationMs: number;
  readonly metrics: WorkloadMetrics;
  readonly counts: ExecutorCounts;
  readonly thresholds: readonly ThresholdResult[];
  readonly cpu: NodeJS.CpuUsage;
  readonly journeyErrors: readonly Error[];
}

export function buildSummary(i: SummaryInputs): WorkloadSummary {
  const m = i.metrics;
  const total = m.totalRequests;
  const cpuMs = (i.cpu.user + i.cpu.system) / 1000;
  const ended = m.journeysEnded;
  return {
    scenario: i.scenario,
    executor: i.executor,
    baseUrl: i.baseUrl,
    seed: i.seed,
    runTag: i.runTag,
    outcome: i.outcome,
    ...(i.abortReason ? { abortReason: i.abortReason } : {}),
    startedAt: new Date(i.startedAt).toISOString(),
    durationMs: Math.round(i.durationMs),
    requests: {
      total,
      perSecond: round1((total * 1000) / Math.max(1, i.durationMs)),
      retries: m.retries,
      byOp: Object.fromEntries(OPS.map((op) => [op, { ...m.requests[op] }])) as WorkloadSummary['requests']['byOp'],
    },
    latencyMs: {
      all: m.all.stats(),
      successful: m.successful.stats(),
      successfulByOp: Object.fromEntries(
        OPS.map((op) => [op, m.successfulByOp[op].stats()]),
      ) as WorkloadSummary['latencyMs']['successfulByOp'],
      processing: m.processing.stats(),
    },
    journeys: {
      ok: i.counts.ok,
      failed: i.counts.failed,
      interrupted: i.counts.interrupted,
      failedRate: ended === 0 ? 0 : m.journeysFailed / ended,
      good: { ...m.journeys.good },
      bad: { ...m.journeys.bad },
    },
    iterations: { arrivals: i.counts.arrivals, started: i.counts.started, dropped: i.counts.dropped },
    checks: { ...m.checks },
    ids: m.ids.size,
    processed: m.processedIds.size,
    thresholds: i.thresholds,
    thresholdsOk: i.thresholds.every((t) => t.ok),
    cpu: {
      userMs: Math.round(i.cpu.user / 1000),
      systemMs: Math.round(i.cpu.system / 1000),
      msPer1000Requests: total === 0 ? 0 : round1((cpuMs * 1000) / total),
      cores: round2(cpuMs / Math.max(1, i.durationMs)),
    },
    ...(i.journeyErrors.length ? { journeyErrors: i.journeyErrors.map((e) => e.stack ?? e.message) } : {}),
  };
}

export function summaryText(s: WorkloadSummary): string {
  const ms = (v: number) => (v >= 100 ? `${Math.round(v)}ms` : `${v.toFixed(1)}ms`);
  const lat = (t: LatencyStats) =>
    t.count ? `p50=${ms(t.p50)} p90=${ms(t.p90)} p95=${ms(t.p95)} p99=${ms(t.p99)} max=${ms(t.max)} (n=${t.count})` : '-';
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  const lines = [
    `workload ${s.scenario} (${s.executor}) against ${s.baseUrl}, seed ${s.seed}, runTag ${s.runTag}: ` +
      `${s.outcome.toUpperCase()}${s.abortReason ? ` (${s.abortReason})` : ''} after ${(s.durationMs / 1000).toFixed(1)}s`,
    `  journeys   ${s.journeys.ok} ok, ${s.journeys.failed} failed, ${s.journeys.interrupted} interrupted ` +
      `(journey_failed ${pct(s.journeys.failedRate)}); good ${s.journeys.good.ok}/${s.journeys.good.ok + s.journeys.good.failed}, ` +
      `bad input ${s.journeys.bad.ok}/${s.journeys.bad.ok + s.journeys.bad.failed} answered 4xx`,
    `  iterations ${s.iterations.started} started, ${s.iterations.dropped} dropped (every journey slot busy)`,
    `  requests   ${s.requests.total} (${s.requests.perSecond}/s), retries ${s.requests.retries}`,
  ];
  for (const op of OPS) {
    const r = s.requests.byOp[op];
    if (r.ok + r.fail + r.info === 0) continue;
    lines.push(
      `    ${op.padEnd(7)} ok ${r.ok}  fail(4xx) ${r.fail}  info(5xx/network/timeout) ${r.info}   ` +
        `2xx latency ${lat(s.latencyMs.successfulByOp[op])}`,
    );
  }
  lines.push(
    `  latency    2xx ${lat(s.latencyMs.successful)}`,
    `             all ${lat(s.latencyMs.all)}`,
    `  processing upload acknowledged → processed seen: ${lat(s.latencyMs.processing)}; ${s.processed}/${s.ids} ids seen processed`,
    `  checks     ${s.checks.passes} passed, ${s.checks.fails} failed`,
    `  cpu        ${s.cpu.userMs} ms user + ${s.cpu.systemMs} ms sys = ` +
      `${s.cpu.msPer1000Requests} ms per 1000 requests, ${s.cpu.cores} cores`,
    `  thresholds ${s.thresholdsOk ? 'all passed' : 'CROSSED'}:`,
  );
  for (const t of s.thresholds)
    lines.push(
      `    ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric} ${t.expression}` +
        `${t.value === undefined ? ' (no samples)' : ` (${round3(t.value)})`}${t.abortOnFail ? ' [abortOnFail]' : ''}`,
    );
  if (s.journeyErrors?.length)
    lines.push(`  journey errors (bugs): ${s.journeyErrors.length}, first: ${s.journeyErrors[0].split('\n')[0]}`);
  return `${lines.join('\n')}\n`;
}
