import type { ClientOp } from '@imagery/history/history-entry';
import { parseDuration } from './duration';
import { LatencyHistogram, OPS, WorkloadMetrics } from './metrics';

/**
 * Thresholds, written as in k6: a metric (with optional tags) and expressions on it.
 *
 *   'http_req_duration{expected_response:true}': ['p(95)<1000', 'p(99)<2500'],
 *   'http_req_duration{expected_response:true,op:upload}': ['p(99)<3000'],
 *   journey_failed: [{ threshold: 'rate<=0.01', abortOnFail: true, delayAbortEval: '10s' }],
 *   checks: ['rate>=0.99'],
 *
 * Metrics: `http_req_duration` (tags `expected_response:true` = 2xx only, `op:create|upload|get`),
 * `processing_time` (upload acknowledged → processed seen), `journey_failed` (rate of journeys
 * that did not end as they should after retries), `checks` (rate of checks that passed),
 * `http_req_failed` (rate of requests that were not 2xx), `http_reqs`, `retries`,
 * `dropped_iterations` (counts). Aggregations: `p(N)`, `avg`, `min`, `max`, `med` on durations,
 * `rate` on rates, `count` on counts. A metric without samples FAILS, flagged `noSamples` (k6 passes
 * it; here a gate that saw nothing must not read as a gate that held). It never aborts a run, though:
 * early in a run there are no samples yet.
 * `abortOnFail`: the run stops as soon as the threshold is crossed (checked every second, not
 * before `delayAbortEval`), and ends `aborted`.
 */
export type ThresholdSpec =
  string | { readonly threshold: string; readonly abortOnFail?: boolean; readonly delayAbortEval?: string | number };
export type Thresholds = Readonly<Record<string, readonly ThresholdSpec[]>>;

export interface ThresholdResult {
  readonly metric: string;
  readonly expression: string;
  readonly ok: boolean;
  /** The metric's value, when it had samples. */
  readonly value?: number;
  readonly abortOnFail: boolean;
  /** The metric had no samples: not ok (k6 passes it; a gate that saw nothing proves nothing). */
  readonly noSamples?: true;
}

/** What thresholds read besides the metrics: the executor's counts. */
export interface ThresholdInputs {
  readonly metrics: WorkloadMetrics;
  readonly dropped: number;
}

type Compare = '<' | '<=' | '>' | '>=' | '==';
interface Parsed {
  readonly metric: string;
  readonly expression: string;
  readonly read: (inputs: ThresholdInputs) => number | undefined;
  readonly compare: Compare;
  readonly bound: number;
  readonly abortOnFail: boolean;
  readonly delayMs: number;
}

export class ThresholdSet {
  private readonly parsed: Parsed[];

  constructor(thresholds: Thresholds = {}) {
    this.parsed = Object.entries(thresholds).flatMap(([metric, specs]) => specs.map((spec) => parseThreshold(metric, spec)));
  }

  get size(): number {
    return this.parsed.length;
  }

  evaluate(inputs: ThresholdInputs): ThresholdResult[] {
    return this.parsed.map((t) => {
      const value = t.read(inputs);
      const common = { metric: t.metric, expression: t.expression, abortOnFail: t.abortOnFail };
      return value === undefined ? { ...common, ok: false, noSamples: true } : { ...common, ok: holds(value, t.compare, t.bound), value };
    });
  }

  /** The first abortOnFail threshold crossed once `elapsedMs` is past its delay, if any. */
  crossedAbortingThreshold(inputs: ThresholdInputs, elapsedMs: number): ThresholdResult | undefined {
    for (const t of this.parsed) {
      if (!t.abortOnFail || elapsedMs < t.delayMs) continue;
      const value = t.read(inputs);
      if (value !== undefined && !holds(value, t.compare, t.bound))
        return { metric: t.metric, expression: t.expression, ok: false, value, abortOnFail: true };
    }
    return undefined;
  }
}

const EXPRESSION = /^\s*(p\((\d+(?:\.\d+)?)\)|avg|min|max|med|rate|count)\s*(<=|<|>=|>|==)\s*(-?\d+(?:\.\d+)?)\s*$/;
const METRIC = /^([a-z_]+)(?:\{([^}]*)\})?$/;

function parseThreshold(metric: string, spec: ThresholdSpec): Parsed {
  const { threshold: expression, abortOnFail = false, delayAbortEval = 0 } = typeof spec === 'string' ? { threshold: spec } : spec;
  const m = EXPRESSION.exec(expression);
  if (!m) throw new Error(`threshold "${metric}: ${expression}": write it like p(95)<500, rate<=0.01, count<10`);
  const [, aggregation, percentile, compare, bound] = m;
  const read = reader(metric, aggregation, percentile === undefined ? undefined : Number(percentile));
  return {
    metric,
    expression: expression.trim(),
    read,
    compare: compare as Compare,
    bound: Number(bound),
    abortOnFail,
    delayMs: parseDuration(delayAbortEval),
  };
}

function reader(metric: string, aggregation: string, percentile: number | undefined): Parsed['read'] {
  const m = METRIC.exec(metric);
  if (!m) throw new Error(`threshold metric "${metric}": write it like http_req_duration{expected_response:true,op:upload}`);
  const [, name, tagText] = m;
  const tags = new Map(
    (tagText ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split(':').map((s) => s.trim()) as [string, string]),
  );
  const wrong = (what: string) => new Error(`threshold "${metric}: ${aggregation}": ${what}`);
  for (const key of tags.keys())
    if (name !== 'http_req_duration' || !['expected_response', 'op'].includes(key)) throw wrong(`unknown tag ${key}`);

  const trend = (pick: (m: WorkloadMetrics) => LatencyHistogram) => trendReader(pick, aggregation, percentile, wrong);
  const rate = (of: (i: ThresholdInputs) => [number, number]): Parsed['read'] => {
    if (aggregation !== 'rate') throw wrong('a rate has only rate');
    return (inputs) => {
      const [hits, total] = of(inputs);
      return total === 0 ? undefined : hits / total;
    };
  };
  const count = (of: (i: ThresholdInputs) => number): Parsed['read'] => {
    if (aggregation !== 'count') throw wrong('a counter has only count');
    return of;
  };

  switch (name) {
    case 'http_req_duration': {
      const op = tags.get('op') as ClientOp | undefined;
      if (op !== undefined && !OPS.includes(op)) throw wrong(`op must be one of ${OPS.join(', ')}`);
      const successful = tags.get('expected_response') === 'true';
      if (op && !successful) throw wrong('per-op durations are of successful requests: add expected_response:true');
      return trend((m) => (op ? m.successfulByOp[op] : successful ? m.successful : m.all));
    }
    case 'processing_time':
      return trend((m) => m.processing);
    case 'journey_failed': // interrupted journeys and journeys that threw are failed ones (metrics.ts)
      return rate(({ metrics }) => [metrics.journeysFailed, metrics.journeysEnded]);
    case 'checks':
      return rate(({ metrics }) => [metrics.checks.passes, metrics.checks.passes + metrics.checks.fails]);
    case 'http_req_failed':
      return rate(({ metrics }) => [metrics.errors, metrics.totalRequests]);
    case 'http_reqs':
      return count(({ metrics }) => metrics.totalRequests);
    case 'retries':
      return count(({ metrics }) => metrics.retries);
    case 'dropped_iterations':
      return count(({ dropped }) => dropped);
    default:
      throw wrong(`unknown metric ${name}`);
  }
}

/** Reads a duration histogram by `aggregation` (p(N), avg, min, max, med or count). */
function trendReader(
  pick: (m: WorkloadMetrics) => LatencyHistogram,
  aggregation: string,
  percentile: number | undefined,
  wrong: (what: string) => Error,
): Parsed['read'] {
  if (aggregation === 'rate' || aggregation === 'count') {
    if (aggregation === 'count') return ({ metrics }) => pick(metrics).count;
    throw wrong('a duration has p(N), avg, min, max, med or count');
  }
  return ({ metrics }) => {
    const h = pick(metrics);
    if (h.count === 0) return undefined;
    const s = h.stats();
    if (percentile !== undefined) return h.percentileMs(percentile);
    return { avg: s.mean, min: s.min, max: s.max, med: s.p50 }[aggregation as 'avg' | 'min' | 'max' | 'med'];
  };
}

function holds(value: number, compare: Compare, bound: number): boolean {
  switch (compare) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    case '==':
      return value === bound;
  }
}
