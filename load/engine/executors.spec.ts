import { setTimeout as sleep } from 'node:timers/promises';
import { arrivalOffsets, runExecutor, type ScenarioConfig } from './executors';

const until = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

describe('arrival times (k6 executor semantics)', () => {
  it('constant-arrival-rate: rate per timeUnit, evenly spaced, the first at 0, none at the end', () => {
    expect([...arrivalOffsets({ executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '2s', maxVUs: 1 })]).toEqual(
      Array.from({ length: 20 }, (_, i) => i * 100),
    );
    // timeUnit: 3 per minute for 1 min = every 20 s
    expect([...arrivalOffsets({ executor: 'constant-arrival-rate', rate: 3, timeUnit: '1m', duration: '1m', maxVUs: 1 })]).toEqual([
      0, 20_000, 40_000,
    ]);
  });

  it('ramping-arrival-rate: the i-th arrival where the integral of the rate reaches i', () => {
    // 0 → 10/s over 2 s: ∫ = 2.5 t², so 10 arrivals at √(i / 2.5) s
    const ramp = [
      ...arrivalOffsets({ executor: 'ramping-arrival-rate', startRate: 0, stages: [{ target: 10, duration: '2s' }], maxVUs: 1 }),
    ];
    expect(ramp).toHaveLength(10);
    ramp.forEach((t, i) => expect(t).toBeCloseTo(Math.sqrt(i / 2.5) * 1000, 6));
  });

  it('a spike: base, ramp up, hold, ramp down — as many arrivals as the area under the rate', () => {
    const stages = [
      { target: 10, duration: '1s' },
      { target: 50, duration: '1s' },
      { target: 50, duration: '1s' },
      { target: 10, duration: '1s' },
    ];
    const times = [...arrivalOffsets({ executor: 'ramping-arrival-rate', startRate: 10, stages, maxVUs: 1 })];
    expect(times).toHaveLength(10 + 30 + 50 + 30);
    const inSecond = (s: number) => times.filter((t) => t >= s * 1000 && t < (s + 1) * 1000).length;
    expect([0, 1, 2, 3].map(inSecond)).toEqual([10, 30, 50, 30]);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
  });
});

describe('runExecutor', () => {
  it('starts iterations on schedule, numbered by arrival, without waiting for earlier ones (open model)', async () => {
    const started: Array<[number, number]> = [];
    const t0 = performance.now();
    const run = runExecutor({ executor: 'constant-arrival-rate', rate: 50, duration: '1s', maxVUs: 100, gracefulStop: '5s' }, async (i) => {
      started.push([i, performance.now() - t0]);
      await sleep(300); // longer than the gap between arrivals: a closed model would fall behind
      return true;
    });
    await run.done;
    expect(started.map(([i]) => i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (const [i, at] of started) {
      expect(at).toBeGreaterThanOrEqual(i * 20 - 2);
      expect(at).toBeLessThan(i * 20 + 250); // timers on a busy machine are late, never early
    }
    expect(run.counts).toMatchObject({ arrivals: 50, started: 50, dropped: 0, ok: 50, failed: 0, interrupted: 0, active: 0 });
  });

  it('drops an arrival, and counts it, when every slot is busy; dropped numbers are skipped, not reused', async () => {
    const started: number[] = [];
    const release = new AbortController();
    const run = runExecutor(
      { executor: 'constant-arrival-rate', rate: 100, duration: '200ms', maxVUs: 3, gracefulStop: '5s' },
      async (i) => {
        started.push(i);
        await until(release.signal);
        return i !== 1;
      },
    );
    await sleep(300);
    release.abort();
    await run.done;
    expect(started).toEqual([0, 1, 2]);
    expect(run.counts).toMatchObject({ arrivals: 20, started: 3, dropped: 17, ok: 2, failed: 1 });
  });

  it('ramping: the same dropping rule under a spike', async () => {
    const scenario: ScenarioConfig = {
      executor: 'ramping-arrival-rate',
      startRate: 20,
      stages: [{ target: 200, duration: '300ms' }],
      maxVUs: 5,
      gracefulStop: '1s',
    };
    const run = runExecutor(scenario, async () => {
      await sleep(200);
      return true;
    });
    await run.done;
    expect(run.counts.arrivals).toBe(33); // (20 + 200) / 2 × 0.3 s
    expect(run.counts.dropped).toBeGreaterThan(0);
    expect(run.counts.started + run.counts.dropped).toBe(33);
    expect(run.counts.started).toBeLessThanOrEqual(33);
  });

  it('after the last arrival, journeys get gracefulStop to finish, then are interrupted through their signal', async () => {
    const run = runExecutor(
      { executor: 'constant-arrival-rate', rate: 10, duration: '100ms', maxVUs: 5, gracefulStop: '200ms' },
      async (_i, signal) => {
        await until(signal); // never ends on its own
        throw new Error('interrupted');
      },
    );
    const t0 = performance.now();
    await run.done;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195); // one arrival (at 0), then the 200 ms grace
    expect(run.counts).toMatchObject({ started: 1, interrupted: 1, ok: 0, failed: 0 });
  });

  it('an abort stops arrivals at once and interrupts journeys in flight', async () => {
    const stop = new AbortController();
    const run = runExecutor(
      { executor: 'constant-arrival-rate', rate: 100, duration: '10s', maxVUs: 1000, gracefulStop: '30s' },
      async (_i, signal) => {
        await until(signal);
        return true;
      },
      stop.signal,
    );
    await sleep(200);
    stop.abort();
    const t0 = performance.now();
    await run.done;
    expect(performance.now() - t0).toBeLessThan(500); // not the 30 s graceful stop
    expect(run.counts.arrivals).toBeGreaterThan(5);
    expect(run.counts.arrivals).toBeLessThan(100);
    expect(run.counts.interrupted).toBe(run.counts.started);
  });

  it('smoke: the iterations one after the other', async () => {
    let running = 0;
    let most = 0;
    const run = runExecutor({ executor: 'smoke', iterations: 4 }, async (i) => {
      most = Math.max(most, ++running);
      await sleep(10);
      running--;
      return i % 2 === 0;
    });
    await run.done;
    expect(most).toBe(1);
    expect(run.counts).toMatchObject({ started: 4, ok: 2, failed: 2 });
  });

  it('recorded-arrivals: the given iterations at their offsets (told to them), in offset order, for the duration', async () => {
    const started: Array<[number, number, number]> = [];
    const t0 = performance.now();
    const arrivals = [
      { iteration: 7, at: 120 },
      { iteration: 2, at: 0 },
      { iteration: 40, at: 60 },
    ];
    const run = runExecutor({ executor: 'recorded-arrivals', arrivals, duration: 400, maxVUs: 3 }, (i, _signal, offsetMs) => {
      started.push([i, offsetMs, performance.now() - t0]);
      return Promise.resolve(true);
    });
    await run.done;
    expect(started.map(([i, offset]) => [i, offset])).toEqual([
      [2, 0],
      [40, 60],
      [7, 120],
    ]);
    for (const [, offset, at] of started) {
      expect(at).toBeGreaterThanOrEqual(offset - 2);
      expect(at).toBeLessThan(offset + 250);
    }
    expect(performance.now() - t0).toBeGreaterThanOrEqual(398); // held open until its duration, past the last arrival
    expect(run.counts).toMatchObject({ arrivals: 3, started: 3, dropped: 0, ok: 3 });
  });

  it('a journey that throws (a bug) counts as failed and is kept for the summary', async () => {
    const run = runExecutor({ executor: 'smoke', iterations: 2 }, (i) =>
      i === 1 ? Promise.reject(new Error('bug in the journey')) : Promise.resolve(true),
    );
    await run.done;
    expect(run.counts).toMatchObject({ ok: 1, failed: 1 });
    expect(run.errors.map((e) => e.message)).toEqual(['bug in the journey']);
  });
});
