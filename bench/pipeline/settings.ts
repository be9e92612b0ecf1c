/** The rate issue 16 judges the API's p99 at (bench/pipeline/targets.ts: "API p99 at 200 req/s"). */
export const API_P99_RATE = 200;
/** Seconds of each API load left out of every figure. */
export const API_WARMUP_SECONDS = 5;

/** What the environment sets (see pipeline.bench.ts); read once, at the start. */
export interface PipelineSettings {
  readonly seed: number;
  readonly apiCount: number;
  readonly workerCount: number;
  readonly apiRate: number;
  readonly apiSeconds: number;
  /** The API saturation ladder: offered req/s, climbed until one is not served, and each step's measured seconds. */
  readonly apiRates: readonly number[];
  readonly apiStepSeconds: number;
  /** The throughput ladder: offered images/s, climbed until the pipeline falls behind, and each step's seconds. */
  readonly rates: readonly number[];
  readonly stepSeconds: number;
  /** The window with no load that measures the background. */
  readonly idleSeconds: number;
  /** FIS experiments of chaos/experiments/ started during an API load at apiRate, each its own run (none by default). */
  readonly faults: readonly string[];
}

export function readPipelineSettings(): PipelineSettings {
  return {
    seed: envNumber('BENCH_SEED', 1),
    apiCount: envNumber('BENCH_API_COUNT', 2),
    workerCount: envNumber('BENCH_WORKER_COUNT', 2),
    apiRate: envNumber('BENCH_API_RATE', API_P99_RATE),
    apiSeconds: envNumber('BENCH_API_SECONDS', 20),
    apiRates: envNumbers('BENCH_API_RATES', '100,200,300,400,500,600,800'),
    apiStepSeconds: envNumber('BENCH_API_STEP_SECONDS', 6),
    rates: envNumbers('BENCH_RATES', '5,10,15,20,25,30,35,40,50,60'),
    stepSeconds: envNumber('BENCH_STEP_SECONDS', 15),
    idleSeconds: envNumber('BENCH_IDLE_SECONDS', 10),
    faults: (process.env.BENCH_FAULTS ?? 'none')
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

/** A comma-separated list of positive numbers from the environment, ascending. */
function envNumbers(name: string, fallback: string): number[] {
  const raw = process.env[name] || fallback;
  const values = raw.split(',').map(Number);
  if (values.some((v) => !Number.isFinite(v) || v <= 0)) throw new Error(`${name} must list positive numbers; got ${raw}`);
  return values.sort((a, b) => a - b);
}
