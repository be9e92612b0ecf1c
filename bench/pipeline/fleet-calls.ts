import type { MetricSample, MetricsReader } from '@imagery/control-plane/control-plane';
import { round1 } from '@imagery/kernel/stats';

/** AWS calls the fleet made over a window (its imagery_aws_calls_total), i.e. what the emulator served it. */
export interface AwsCallsServed {
  readonly seconds: number;
  readonly total: number;
  readonly perSecond: number;
  /** Readiness checks (DescribeTable, HeadBucket, GetQueueAttributes) and the repair sweep's Query: not per image. */
  readonly background: number;
  readonly byOperation: Readonly<Record<string, number>>;
  readonly byRole: Readonly<Record<string, number>>;
  /** Per role, per service (dynamodb, s3, sqs): every call, background included. */
  readonly byRoleService: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Per role, the calls that are not background: what the requests and jobs cost. */
  readonly foregroundByRole: Readonly<Record<string, number>>;
  /** The workers' jobs by outcome (processed, already-done, error...) and the repair sweep's re-enqueues. */
  readonly jobs: Readonly<Record<string, number>>;
  readonly repairs: number;
  /** GET /image/:id answered by the API fleet (its imagery_http_requests_total): the clients' reads, not the pipeline's work. */
  readonly imageReads: number;
  /** Mean latency per AWS operation as the apps saw it (their imagery_aws_call_duration_seconds), ms. */
  readonly meanMs: Readonly<Record<string, number>>;
}

export const BACKGROUND_OPS: readonly string[] = ['DescribeTable', 'HeadBucket', 'GetQueueAttributes', 'Query'];
const IMAGE_READ_ROUTE = '/image/:id';

type CallCounts = Map<string, { metric: string; operation: string; role: string; service: string; value: number }>;
const COUNTERS = [
  'imagery_aws_calls_total',
  'imagery_jobs_total',
  'imagery_repairs_total',
  'imagery_aws_call_duration_seconds_sum',
  'imagery_aws_call_duration_seconds_count',
  'imagery_http_requests_total',
];

/** Starts counting the fleet's AWS calls; `stop()` scrapes again and returns what was served in between. */
export async function countFleetCalls(metrics: MetricsReader): Promise<{ stop(): Promise<AwsCallsServed> }> {
  const before = await scrapeCounts(metrics);
  const from = performance.now();
  return { stop: async () => diffCalls(before, await scrapeCounts(metrics), (performance.now() - from) / 1000) };
}

async function scrapeCounts(metrics: MetricsReader): Promise<CallCounts> {
  const samples: MetricSample[] = await metrics.scrape();
  const counts: CallCounts = new Map();
  for (const s of samples) {
    if (!COUNTERS.includes(s.name)) continue;
    if (s.name === 'imagery_http_requests_total' && (s.labels.route !== IMAGE_READ_ROUTE || s.labels.method !== 'GET')) continue;
    const key = `${s.name}|${s.labels.instance}|${s.labels.service}|${s.labels.operation}|${s.labels.outcome}|${s.labels.status}`;
    counts.set(key, {
      metric: s.name,
      operation: s.labels.operation ?? s.labels.outcome ?? '',
      role: s.labels.role ?? '?',
      service: s.labels.service ?? '?',
      value: s.value,
    });
  }
  return counts;
}

/** Per-series increase; a series absent before (a new label set or a new instance) counts from 0. */
function diffCalls(before: CallCounts, after: CallCounts, seconds: number): AwsCallsServed {
  const byOperation: Record<string, number> = {};
  const byRole: Record<string, number> = {};
  const foregroundByRole: Record<string, number> = {};
  const byRoleService: Record<string, Record<string, number>> = {};
  const jobs: Record<string, number> = {};
  const durationSum: Record<string, number> = {};
  const durationCount: Record<string, number> = {};
  let repairs = 0;
  let imageReads = 0;
  let total = 0;
  const add = (into: Record<string, number>, key: string, delta: number) => (into[key] = (into[key] ?? 0) + delta);
  for (const [key, now] of after) {
    const delta = Math.max(0, now.value - (before.get(key)?.value ?? 0));
    if (!delta) continue;
    if (now.metric === 'imagery_jobs_total') add(jobs, now.operation, delta);
    else if (now.metric === 'imagery_repairs_total') repairs += delta;
    else if (now.metric === 'imagery_http_requests_total') imageReads += delta;
    else if (now.metric.startsWith('imagery_aws_call_duration_seconds'))
      add(now.metric.endsWith('_sum') ? durationSum : durationCount, now.operation, delta);
    else {
      total += delta;
      add(byOperation, now.operation, delta);
      add(byRole, now.role, delta);
      add((byRoleService[now.role] ??= {}), now.service, delta);
      if (!BACKGROUND_OPS.includes(now.operation)) add(foregroundByRole, now.role, delta);
    }
  }
  const background = BACKGROUND_OPS.reduce((n, op) => n + (byOperation[op] ?? 0), 0);
  const meanMs = Object.fromEntries(Object.entries(durationCount).map(([op, n]) => [op, round1((1000 * (durationSum[op] ?? 0)) / n)]));
  return {
    seconds: round1(seconds),
    total,
    perSecond: round1(total / seconds),
    background,
    byOperation,
    byRole,
    byRoleService,
    foregroundByRole,
    jobs,
    repairs,
    imageReads,
    meanMs,
  };
}
