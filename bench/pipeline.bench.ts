/**
 * `npm run bench`: every bench row of issue 16's table (bench/pipeline/targets.ts: the pipeline's
 * rate against its ceiling, the platform's CPU and AWS calls per image, the API's CPU, tail latency
 * and saturation), each with its target and MEETS / MISSES, all measured in one run on the real
 * platform (startPlatformSession: moto + data stack + Toxiproxy + 2 API instances + 2 workers + HAProxy
 * + the FIS simulator, on free ports). One step per file in bench/pipeline/:
 *
 *   1. Ceiling (ceiling.ts), each measured alone on the idle platform: the emulator's raw op rate for
 *      the pipeline's own operations and object sizes (emulator-rate.ts) ÷ the operations one image
 *      costs, one plain moto process's the same way (the baseline), and sharp's images/s and CPU per
 *      image for the workload's fixture mix: the API's inspect plus the worker's sepia, and sepia
 *      alone (sharp-rate.ts).
 *   2. GET /image/:id one at a time beside the adapter call it wraps (api-overhead.ts, round-trip.ts),
 *      the fleet's metrics counting the AWS calls one read costs.
 *   3. Upload→processed latency (latency-phase.ts): load/imagery.ts (steady, no bad input) at a
 *      moderate rate; the fleet's metrics give its AWS calls per image.
 *   4. An idle window (idle-window.ts): the background's AWS calls and CPU per second.
 *   5. The API at 200 req/s through HAProxy (api-load-phases.ts, api-load-phase.ts): p99 and CPU per
 *      request; with each FIS experiment of BENCH_FAULTS too, if any. Then a short rate ladder up to
 *      the first rate with p99 >= 100 ms (api-saturation.ts).
 *   6. Throughput (throughput-ladder.ts): load/imagery.js offered at each rate of BENCH_RATES above the
 *      latency phase's, up to the first it cannot keep up with. Last: an overloaded pipeline leaves a backlog.
 *      The CPU every process spent at the highest rate kept up with prices an image (cpu-budget.ts).
 *
 * Prints the phases' tables, then issue 16's rows (print/), and writes .run/bench-pipeline.json.
 * Environment: BENCH_SEED (1), BENCH_API_COUNT / BENCH_WORKER_COUNT (2 / 2), BENCH_API_RATE (200),
 * BENCH_API_SECONDS (20), BENCH_API_RATES (100,200,300,400,500,600,800), BENCH_API_STEP_SECONDS (6),
 * BENCH_FAULTS (none; e.g. dynamodb-latency,kill-api), BENCH_LATENCY_RATE (auto: 30 % of the lower of
 * sharp's and the emulator's rate, 2..10), BENCH_LATENCY_SECONDS (25), BENCH_IDLE_SECONDS (10),
 * BENCH_RATES (5,10,15,20,25,30,35,40,50,60 images/s), BENCH_STEP_SECONDS (15).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import { benchTeardown } from './bench-teardown';
import { measureApiOverhead } from './pipeline/api-overhead';
import { measureApiLoads } from './pipeline/api-load-phases';
import { measureApiSaturation } from './pipeline/api-saturation';
import { BenchLog } from './pipeline/bench-log';
import { measureCeiling } from './pipeline/ceiling';
import { directClients } from './pipeline/direct-clients';
import { benchFixtures } from './pipeline/fixtures';
import { measureIdle } from './pipeline/idle-window';
import { warmUpJourney } from './pipeline/journey';
import { warmUpPipeline } from './pipeline/warm-up-phase';
import { measureLatency } from './pipeline/latency-phase';
import type { PhaseContext } from './pipeline/phase-context';
import { printReport } from './pipeline/print/print-report';
import { buildReport, Report } from './pipeline/report';
import { readPipelineSettings } from './pipeline/settings';
import { startBenchPlatform } from './pipeline/start-platform';
import { climbThroughputLadder } from './pipeline/throughput-ladder';

const bench = new BenchLog();
const log = bench.line;

async function main(): Promise<number> {
  const settings = readPipelineSettings();
  const teardown = benchTeardown('the workload, the fleet, HAProxy, Toxiproxy and the emulator', () => bench.silence());
  const runDir = join(repoRoot(), '.run', 'bench-pipeline');
  // Histories are appended to: a previous run's would be read as this one's (its journeys, its earlier window).
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  try {
    const session = await startBenchPlatform(settings, teardown, log);
    const fixtures = await benchFixtures(session, settings.seed, log);
    const clients = directClients(session, teardown);
    const warm = await warmUpJourney(session.url, fixtures.files[fixtures.files.length - 1].path, log);
    const ceiling = await measureCeiling(fixtures.files, clients.direct, log);
    const roundTrips = await measureApiOverhead(session, clients, warm.id, fixtures.files, settings.apiRate / settings.apiCount, log);
    const context: PhaseContext = { settings, session, direct: clients.direct, fixturesDir: fixtures.dir, runDir, log };
    const warmUp = await warmUpPipeline(context); // every pipeline and API figure below is a warm platform's
    const latency = await measureLatency(context, ceiling.imagesPerSecond);
    const idle = await measureIdle(context, settings.idleSeconds);
    const apiLoads = await measureApiLoads(context, warm.id);
    const apiSaturation = await measureApiSaturation(context, warm.id);
    const throughput = await climbThroughputLadder(context, latency.keptUp ? latency.offeredRate : 0);
    const report = buildReport({
      started: bench.started,
      settings,
      fixtures: fixtures.files,
      ceiling,
      roundTrips,
      warmUp,
      latency,
      idle,
      apiLoads,
      apiSaturation,
      throughput,
    });
    printReport(report);
    writeReport(report, runDir);
    return 0;
  } finally {
    log('stopping the platform...');
    await teardown.stopAll();
    log(`done in ${bench.elapsedSeconds()} s`);
    if (bench.interrupted) await new Promise(() => undefined); // the signal handler exits with 128 + signal
  }
}

/** .run/bench-pipeline.json, with the run's duration so far. */
function writeReport(report: Report, runDir: string): void {
  const file = join(repoRoot(), '.run', 'bench-pipeline.json');
  report.durationSeconds = bench.elapsedSeconds();
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`results written to ${file}; histories and logs in ${runDir}`);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    process.exit(1);
  },
);
