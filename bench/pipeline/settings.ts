/** The design's targets (../shared/DESIGN.md "Targets") the report's ratios are judged against. */
export const TARGETS = { throughputOfCeiling: 0.7, apiOverhead: 1.2, p99Ms: 50, p99AtRate: 200 } as const;
/** Seconds of each API load left out of every figure. */
export const API_WARMUP_SECONDS = 5;

/** What the environment sets (see pipeline.bench.ts); read once, at the start. */
export interface PipelineSettings {
  readonly seed: number;
  readonly apiCount: number;
  readonly workerCount: number;
  readonly apiRate: number;
  readonly apiSeconds: number;
  readonly stepSeconds: number;
  /** The throughput ladder: fractions of the ceiling offered. */
  readonly steps: readonly number[];
  /** FIS experiments of chaos/experiments/ started during the API load. */
  readonly faults: readonly string[];
}

export function readPipelineSettings(): PipelineSettings {
  return {
    seed: envNumber('BENCH_SEED', 1),
    apiCount: envNumber('BENCH_API_COUNT', 2),
    workerCount: envNumber('BENCH_WORKER_COUNT', 2),
    apiRate: envNumber('BENCH_API_RATE', TARGETS.p99AtRate),
    apiSeconds: envNumber('BENCH_API_SECONDS', 20),
    stepSeconds: envNumber('BENCH_STEP_SECONDS', 20),
    steps: (process.env.BENCH_STEPS ?? '0.4,0.55,0.7,0.85,1')
      .split(',')
      .map(Number)
      .filter((x) => x > 0),
    faults: (process.env.BENCH_FAULTS ?? 'dynamodb-latency,kill-api')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && s !== 'none'),
  };
}

/** A non-negative number from the environment, `fallback` when unset or empty. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number; got ${raw}`);
  return value;
}
