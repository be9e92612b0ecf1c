import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCannedApi } from './load-generator/canned-api';
import { getOnce, imageryJourneyOnce } from './load-generator/journeys';
import { printRounds } from './load-generator/print-rounds';
import { Round, runRound } from './load-generator/round';
import { GET_RATES, JOURNEY_RATE, SECONDS } from './load-generator/settings';

/**
 * `npm run bench:load`: is the workload generator ever the bottleneck? A trivial API (canned JSON,
 * bench/load-generator/canned-api-server.ts) runs in a child process, so its CPU is not counted; the
 * generator then runs at increasing constant arrival rates — single GETs, then the whole imagery
 * journey (create, upload, poll) — a few seconds each, writing its history to a file as in a real run.
 * Printed per round: offered and achieved requests/s, dropped iterations, latency p50/p99, and
 * the generator's own CPU (process.cpuUsage: user+sys ms per 1,000 requests, and cores used).
 */
async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-load-'));
  try {
    const { server, baseUrl } = await startCannedApi(dir);
    try {
      console.log(`generator pid ${process.pid}, canned API pid ${server.pid} at ${baseUrl}; ${SECONDS} s per round`);
      const rounds: Round[] = [];
      await runRound('warm-up', 500, 1, getOnce, baseUrl, dir, 3); // JIT (optimised code) and sockets, not reported
      for (const rate of GET_RATES) rounds.push(await runRound(`GET ×1`, rate, 1, getOnce, baseUrl, dir));
      rounds.push(await runRound('journey ×3', JOURNEY_RATE, 3, await imageryJourneyOnce(dir), baseUrl, dir));
      if (!printRounds(rounds)) process.exitCode = 1;
    } finally {
      await server.stop(5_000);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
