import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDuration } from './duration';

/**
 * The executors, with k6's semantics (https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/):
 *
 * - `constant-arrival-rate`: `rate` iterations per `timeUnit`, evenly spaced, for `duration` — an
 *   open model: arrivals do not wait for earlier iterations to finish;
 * - `ramping-arrival-rate`: the rate moves linearly from `startRate` through each stage's `target`
 *   over that stage's `duration` (a spike is a ramp up, a hold, a ramp down);
 * - `smoke`: `iterations` journeys one after the other (k6's per-vu-iterations with one VU);
 * - `recorded-arrivals` (no k6 counterpart): the given iterations, each at its given offset — a
 *   recorded run's journeys replayed (load/recorded-workload.ts), any subset of them.
 *
 * An arrival-rate iteration needs a free slot (k6: a VU); at most `maxVUs` run at once. When all
 * are busy the iteration is *dropped* and counted (k6's `dropped_iterations`), not queued: a
 * queue would turn the open model back into a closed one and hide the overload. `preAllocatedVUs`
 * is accepted for k6 parity; here a slot costs nothing to make, so only `maxVUs` matters.
 * Iterations are numbered by arrival (dropped ones included), so an iteration's number — and
 * everything seeded by it — does not depend on timing.
 *
 * When new arrivals stop (the duration is over) journeys in flight get `gracefulStop` to finish,
 * then are interrupted through their AbortSignal. Aborting `signal` stops at once: no new
 * arrivals, journeys interrupted.
 */
export type ScenarioConfig = ConstantArrivalRate | RampingArrivalRate | Smoke | RecordedArrivals;

interface ArrivalRateCommon {
  /** Default 1s. */
  readonly timeUnit?: string | number;
  readonly preAllocatedVUs?: number;
  readonly maxVUs: number;
  /** Default 30s, as in k6. */
  readonly gracefulStop?: string | number;
}

export interface ConstantArrivalRate extends ArrivalRateCommon {
  readonly executor: 'constant-arrival-rate';
  readonly rate: number;
  readonly duration: string | number;
}

export interface RampingStage {
  readonly target: number;
  readonly duration: string | number;
}

export interface RampingArrivalRate extends ArrivalRateCommon {
  readonly executor: 'ramping-arrival-rate';
  readonly startRate: number;
  readonly stages: readonly RampingStage[];
}

export interface Smoke {
  readonly executor: 'smoke';
  readonly iterations: number;
  /** Default 10m. */
  readonly maxDuration?: string | number;
  readonly gracefulStop?: string | number;
}

export interface RecordedArrivals extends ArrivalRateCommon {
  readonly executor: 'recorded-arrivals';
  /** Each iteration's number and start offset (ms); they start in offset order. */
  readonly arrivals: ReadonlyArray<{ readonly iteration: number; readonly at: number }>;
  /** The arrival phase lasts this long at least (default: until the last arrival). */
  readonly duration?: string | number;
}

/** When each iteration starts, in ms from the start (arrival-rate executors). Finite, increasing. */
export function* arrivalOffsets(scenario: ConstantArrivalRate | RampingArrivalRate): Generator<number> {
  const unit = parseDuration(scenario.timeUnit ?? '1s');
  if (!(unit > 0)) throw new Error('timeUnit must be > 0');
  if (scenario.executor === 'constant-arrival-rate') {
    if (!(scenario.rate > 0)) throw new Error(`rate must be > 0; got ${scenario.rate}`);
    const duration = parseDuration(scenario.duration);
    const gap = unit / scenario.rate;
    for (let i = 0; i * gap < duration; i++) yield i * gap;
    return;
  }
  // ramping: the i-th arrival is at the time t where ∫ rate = i (the first at 0 if startRate > 0)
  let from = scenario.startRate / unit; // per ms
  let t0 = 0;
  let done = 0; // arrivals (∫ rate) before this stage
  let next = 0;
  if (scenario.startRate < 0) throw new Error('startRate must be ≥ 0');
  for (const stage of scenario.stages) {
    const d = parseDuration(stage.duration);
    if (stage.target < 0) throw new Error('a stage target must be ≥ 0');
    const to = stage.target / unit;
    const area = ((from + to) / 2) * d;
    while (next < done + area) {
      yield t0 + timeToReach(next - done, from, to, d);
      next++;
    }
    done += area;
    t0 += d;
    from = to;
  }
}

/** Within a linear ramp from `r0` to `r1` (per ms) over `d` ms: the time at which ∫ rate = `n`. */
function timeToReach(n: number, r0: number, r1: number, d: number): number {
  const a = (r1 - r0) / (2 * d);
  if (Math.abs(a) < 1e-15) return n / r0;
  // a t² + r0 t - n = 0, the root in [0, d]
  return (-r0 + Math.sqrt(r0 * r0 + 4 * a * n)) / (2 * a);
}

/** Total length of the arrival phase, ms. */
export function scenarioDurationMs(scenario: ScenarioConfig): number {
  switch (scenario.executor) {
    case 'constant-arrival-rate':
      return parseDuration(scenario.duration);
    case 'ramping-arrival-rate':
      return scenario.stages.reduce((sum, s) => sum + parseDuration(s.duration), 0);
    case 'smoke':
      return parseDuration(scenario.maxDuration ?? '10m');
    case 'recorded-arrivals':
      return Math.max(parseDuration(scenario.duration ?? 0), ...scenario.arrivals.map((a) => a.at));
  }
}

/**
 * One iteration: resolves to whether the journey went as it should. `signal` aborts = interrupted.
 * `offsetMs`: when it was scheduled, ms since the run started (smoke: when it started).
 */
export type Iteration = (iteration: number, signal: AbortSignal, offsetMs: number) => Promise<boolean>;

export interface ExecutorCounts {
  /** Arrivals (started + dropped). */
  arrivals: number;
  started: number;
  dropped: number;
  ok: number;
  failed: number;
  /** Still running at the end of gracefulStop (or at an abort): interrupted. */
  interrupted: number;
  active: number;
}

export interface ExecutorRun {
  readonly counts: ExecutorCounts;
  /** Errors thrown by journeys (a bug, not an answer): counted as failed journeys; the first few kept. */
  readonly errors: Error[];
  /** Resolves when every iteration has ended. */
  readonly done: Promise<void>;
}

/**
 * Runs `iterate` as the scenario says. `signal` aborts the run (no new iterations, journeys in
 * flight interrupted).
 */
export function runExecutor(scenario: ScenarioConfig, iterate: Iteration, signal?: AbortSignal): ExecutorRun {
  const counts: ExecutorCounts = { arrivals: 0, started: 0, dropped: 0, ok: 0, failed: 0, interrupted: 0, active: 0 };
  const errors: Error[] = [];
  const journeys = new AbortController(); // interrupts journeys in flight
  setMaxListeners(0, journeys.signal); // every journey in flight listens to it (its sleeps, its request)
  const inFlight = new Set<Promise<void>>();
  const stopNow = () => journeys.abort();
  signal?.addEventListener('abort', stopNow, { once: true });

  const start = (iteration: number, offsetMs: number) => {
    counts.started++;
    counts.active++;
    const run = (async () => {
      try {
        const ok = await iterate(iteration, journeys.signal, offsetMs);
        if (journeys.signal.aborted) counts.interrupted++;
        else if (ok) counts.ok++;
        else counts.failed++;
      } catch (error) {
        if (journeys.signal.aborted) counts.interrupted++;
        else {
          counts.failed++;
          if (errors.length < 10) errors.push(error as Error);
        }
      } finally {
        counts.active--;
      }
    })();
    const tracked = run.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  const done = (async () => {
    try {
      if (scenario.executor === 'smoke') {
        const t0 = performance.now();
        const deadline = t0 + scenarioDurationMs(scenario);
        for (let i = 0; i < scenario.iterations && !signal?.aborted && performance.now() < deadline; i++) {
          counts.arrivals++;
          start(i, performance.now() - t0);
          await Promise.race([...inFlight]);
        }
      } else {
        await runArrivals(scenario, counts, start, signal);
      }
      if (inFlight.size > 0 && !signal?.aborted) await graceForInFlight(inFlight, scenario.gracefulStop ?? '30s', signal);
    } finally {
      journeys.abort();
      await Promise.all([...inFlight]);
      signal?.removeEventListener('abort', stopNow);
    }
  })();
  return { counts, errors, done };
}

/** Each arrival of an arrival-rate scenario: iterations numbered by arrival, or as recorded. */
function* arrivalsOf(scenario: ConstantArrivalRate | RampingArrivalRate | RecordedArrivals): Generator<{ iteration: number; at: number }> {
  if (scenario.executor === 'recorded-arrivals') {
    yield* [...scenario.arrivals].sort((a, b) => a.at - b.at);
    return;
  }
  let iteration = 0;
  for (const at of arrivalOffsets(scenario)) yield { iteration: iteration++, at };
}

/**
 * Starts an iteration at each arrival the scenario schedules; an arrival with every journey slot
 * busy is dropped. The arrival phase lasts the scenario's duration (a recorded one's may end later
 * than its last arrival).
 */
async function runArrivals(
  scenario: ConstantArrivalRate | RampingArrivalRate | RecordedArrivals,
  counts: ExecutorCounts,
  start: (iteration: number, offsetMs: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const maxVUs = Math.max(1, scenario.maxVUs, scenario.preAllocatedVUs ?? 0);
  const t0 = performance.now();
  const until = async (offset: number) => {
    const wait = t0 + offset - performance.now();
    if (wait >= 1) await sleep(wait, undefined, { signal }).catch(() => undefined);
  };
  for (const { iteration, at } of arrivalsOf(scenario)) {
    await until(at);
    if (signal?.aborted) return;
    counts.arrivals++;
    if (counts.active >= maxVUs) counts.dropped++;
    else start(iteration, at);
  }
  if (scenario.executor === 'recorded-arrivals') await until(scenarioDurationMs(scenario));
}

/** Waits for the journeys in flight, at most `gracefulStop`; an abort ends the wait at once. */
async function graceForInFlight(inFlight: ReadonlySet<Promise<void>>, gracefulStop: string | number, signal?: AbortSignal): Promise<void> {
  const grace = parseDuration(gracefulStop);
  const timer = new AbortController(); // ends the grace early: all done, or the run aborted
  const onStop = () => timer.abort();
  signal?.addEventListener('abort', onStop, { once: true });
  await Promise.race([Promise.all([...inFlight]), sleep(grace, undefined, { signal: timer.signal }).catch(() => undefined)]);
  timer.abort();
  signal?.removeEventListener('abort', onStop);
}
