import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryFileWriter } from '@imagery/history/history-file';
import type { Journey } from '../load/engine/run-load';
import { runLoad } from '../load/engine/run-load';
import { loadFixtureSet } from '../load/fixture-set';
import { generateFixtures } from '../load/fixtures';
import { imageryJourney, ALL_BAD_KINDS, type ImageryKnobs } from '../load/imagery';
import { spawnManaged } from './child-process';

/**
 * `npm run bench:load`: is the workload generator ever the bottleneck? A trivial API (canned JSON,
 * bench/canned-api-server.ts) runs in a child process, so its CPU is not counted; the generator
 * then runs at increasing constant arrival rates — single GETs, then the whole imagery journey
 * (create, upload, poll) — a few seconds each, writing its history to a file as in a real run.
 * Printed per round: offered and achieved requests/s, dropped iterations, latency p50/p99, and
 * the generator's own CPU (process.cpuUsage: user+sys ms per 1,000 requests, and cores used).
 */
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const GET_RATES = (process.env.BENCH_LOAD_RATES ?? '500,1000,2000,4000').split(',').map(Number);
const JOURNEY_RATE = Number(process.env.BENCH_LOAD_JOURNEYS ?? 400);

interface Round {
  readonly name: string;
  readonly offered: number;
  readonly achieved: number;
  readonly requests: number;
  readonly dropped: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuMsPer1000: number;
  readonly cores: number;
  readonly errors: number;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-load-'));
  const server = spawnManaged(process.execPath, [join(__dirname, 'canned-api-server.js')], process.env, join(dir, 'server.log'));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      server.onLine((line) => {
        const m = /^listening (\d+)$/.exec(line);
        if (m) resolve(Number(m[1]));
      });
      void server.exited.then((how) => reject(new Error(`the canned API server ended: ${how}`)));
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    console.log(`generator pid ${process.pid}, canned API pid ${server.pid} at ${baseUrl}; ${SECONDS} s per round`);
    const rounds: Round[] = [];

    const getOnce: Journey = async (vu) => {
      const res = await vu.send('get', 'bench', {
        method: 'GET',
        path: '/image/00000000-0000-4000-8000-000000000000',
        headers: { accept: 'application/json' },
      });
      return { ok: res.status === 200, kind: 'good' };
    };
    await round('warm-up', 500, 1, getOnce, baseUrl, dir, 3); // JIT (optimised code) and sockets, not reported
    for (const rate of GET_RATES) rounds.push(await round(`GET ×1`, rate, 1, getOnce, baseUrl, dir));

    // the imagery journey: create, upload (a real fixture JPEG), one poll (the canned API says processed at once)
    const fixtures = await loadFixtureSet(dir).catch(async () => {
      await generateFixtures(dir, { seed: 1, maxUploadBytes: 1024 * 1024, sizes: [{ width: 320, height: 240 }] });
      return loadFixtureSet(dir);
    });
    const knobs: ImageryKnobs = {
      scenario: 'steady',
      rate: JOURNEY_RATE,
      durationSeconds: SECONDS,
      spikeFactor: 1,
      iterations: 1,
      badShare: 0,
      badKinds: ALL_BAD_KINDS,
      maxAttempts: 1,
      retryMaxMs: 1,
      processTimeoutMs: 5000,
      pollMinMs: 10,
      pollMaxMs: 10,
      p95Ms: 1e9,
      p99Ms: 1e9,
      maxFailedJourneys: 1,
      minChecks: 0,
      abortOnFail: false,
    };
    const journey = imageryJourney(fixtures, knobs, {
      seed: 1,
      runTag: 'bench',
      badShare: 0,
      badKinds: [],
      images: fixtures.images.length,
    });
    rounds.push(await round('journey ×3', JOURNEY_RATE, 3, journey, baseUrl, dir));

    console.log('\nround        offered/s  achieved req/s  requests  dropped  errors  p50 ms  p99 ms  CPU ms/1000 req  cores');
    for (const r of rounds) {
      console.log(
        `${r.name.padEnd(12)} ${String(r.offered).padStart(9)}  ${r.achieved.toFixed(0).padStart(14)}  ${String(r.requests).padStart(8)}  ${String(r.dropped).padStart(7)}  ${String(r.errors).padStart(6)}  ` +
          `${r.p50.toFixed(2).padStart(6)}  ${r.p99.toFixed(2).padStart(6)}  ${r.cpuMsPer1000.toFixed(1).padStart(15)}  ${r.cores.toFixed(2).padStart(5)}`,
      );
    }
    const perCore = rounds.map((r) => (r.cpuMsPer1000 > 0 ? 1e6 / r.cpuMsPer1000 : 0));
    console.log(
      `\ngenerator CPU per request: ${Math.min(...rounds.map((r) => r.cpuMsPer1000 / 1000)).toFixed(3)}–${Math.max(...rounds.map((r) => r.cpuMsPer1000 / 1000)).toFixed(3)} ms, i.e. ${Math.round(Math.min(...perCore))}–${Math.round(Math.max(...perCore))} requests/s per core of CPU`,
    );
    const sustained = rounds
      .filter((r) => r.dropped === 0 && r.errors === 0 && r.achieved >= 0.95 * r.offered)
      .reduce((best, r) => Math.max(best, r.achieved), 0);
    console.log(`\nsustained without drops or errors: ${sustained.toFixed(0)} requests/s (target ≥ 1000)`);
    if (sustained < 1000) process.exitCode = 1;
  } finally {
    await server.stop(5_000);
    await rm(dir, { recursive: true, force: true });
  }
}

async function round(
  name: string,
  rate: number,
  requestsPerIteration: number,
  journey: Journey,
  baseUrl: string,
  dir: string,
  seconds = SECONDS,
): Promise<Round> {
  const history = await HistoryFileWriter.open(join(dir, `history-${name.replace(/\W+/g, '')}-${rate}.jsonl`));
  const { summary } = await runLoad({
    name,
    baseUrl,
    scenario: { executor: 'constant-arrival-rate', rate, duration: seconds * 1000, maxVUs: 2000, gracefulStop: '5s' },
    connections: 64, // plenty for sub-millisecond answers; fewer sockets, less work on both sides
    journey,
    seed: 1,
    runTag: 'bench',
    retry: { maxAttempts: 1, baseMs: 1, maxMs: 1 },
    history,
    replayOptions: { bench: name, rate },
  });
  await history.close();
  const r: Round = {
    name,
    offered: rate * requestsPerIteration,
    achieved: summary.requests.perSecond,
    requests: summary.requests.total,
    dropped: summary.iterations.dropped,
    p50: summary.latencyMs.all.p50,
    p99: summary.latencyMs.all.p99,
    cpuMsPer1000: summary.cpu.msPer1000Requests,
    cores: summary.cpu.cores,
    errors: summary.requests.total - Object.values(summary.requests.byOp).reduce((n, o) => n + o.ok, 0),
  };
  console.log(
    `${name} at ${rate}/s: ${r.achieved} req/s, ${r.dropped} dropped, p99 ${r.p99} ms, ${r.cpuMsPer1000} CPU ms per 1000 requests, ${r.cores} cores`,
  );
  return r;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
