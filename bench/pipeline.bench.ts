/**
 * `npm run bench`: the pipeline against its local ceiling, and the API's overhead and tail latency,
 * all measured in one run on the real platform (startPlatformSession: moto + data stack + Toxiproxy
 * + 2 API instances + 2 workers + HAProxy + the FIS simulator, on free ports). One step per file in
 * bench/pipeline/:
 *
 *   1. Ceiling (ceiling.ts), each measured alone on the idle platform:
 *      - the emulator's raw op rate for the pipeline's own operations and object sizes
 *        (emulator-rate.ts), divided by the AWS operations one image costs (13, from the code);
 *      - sharp's images/s on all cores for the workload's fixture mix: the API's inspect plus the
 *        worker's sepia, through the apps' SharpImageFilter (sharp-rate.ts).
 *      The local ceiling is the lower of the two.
 *   2. The raw adapter round trip (DynamoDbImageTable.get) beside GET /image/:id on one API instance
 *      and through HAProxy, one at a time (api-overhead.ts, round-trip.ts): the API's overhead ratio.
 *   3. Upload→processed latency (latency-phase.ts): load/imagery.ts (the workload generator, steady,
 *      no bad input) at a moderate rate; the CPU every process of the platform spent meanwhile gives
 *      the whole platform's CPU cost per image, hence a third, informative ceiling: all cores busy
 *      with nothing else running.
 *   4. API p99 at 200 req/s (api-load-phases.ts, api-load-phase.ts, through HAProxy), without faults,
 *      then with each FIS experiment of BENCH_FAULTS started through @aws-sdk/client-fis part-way into
 *      the load, then without faults again (on a shared machine one window can be another tenant's busiest).
 *   5. Throughput (throughput-ladder.ts): load/imagery.js offered in a ladder of steps (40, 55, 70, 85,
 *      100 % of the ceiling), up to the first step it cannot keep up with; completions per second in
 *      each step's steady window, from the table; the best completion rate of any no-fault phase
 *      counts. Last, because an overloaded pipeline leaves a backlog.
 *
 * Prints a table with the ratios against ../shared/DESIGN.md's targets (print/), writes
 * .run/bench-pipeline.json. Ratios from one run on a shared machine, not absolute figures.
 * Environment: BENCH_SEED (1), BENCH_API_COUNT / BENCH_WORKER_COUNT (2 / 2), BENCH_API_RATE (200),
 * BENCH_API_SECONDS (20), BENCH_FAULTS (dynamodb-latency,kill-api; "none" for none),
 * BENCH_LATENCY_RATE (auto: 30 % of the ceiling, 2..10), BENCH_LATENCY_SECONDS (25),
 * BENCH_STEPS (0.4,0.55,0.7,0.85,1: fractions of the ceiling offered), BENCH_STEP_SECONDS (20).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import { benchTeardown } from './bench-teardown';
import { measureApiOverhead } from './pipeline/api-overhead';
import { measureApiLoads } from './pipeline/api-load-phases';
import { BenchLog } from './pipeline/bench-log';
import { measureCeiling } from './pipeline/ceiling';
import { directClients } from './pipeline/direct-clients';
import { benchFixtures } from './pipeline/fixtures';
import { warmUpJourney } from './pipeline/journey';
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
  mkdirSync(runDir, { recursive: true });
  try {
    const session = await startBenchPlatform(settings, teardown, log);
    const fixtures = await benchFixtures(session, settings.seed, log);
    const clients = directClients(session, teardown);
    const warm = await warmUpJourney(session.url, fixtures.files[fixtures.files.length - 1].path, log);
    const ceiling = await measureCeiling(fixtures.files, clients.direct, log);
    const roundTrips = await measureApiOverhead(session, clients, warm.id, log);
    const context: PhaseContext = { settings, session, direct: clients.direct, fixturesDir: fixtures.dir, runDir, log };
    const latency = await measureLatency(context, ceiling.imagesPerSecond);
    const apiLoads = await measureApiLoads(context, warm.id);
    const throughput = await climbThroughputLadder(context, ceiling.imagesPerSecond);
    const report = buildReport({
      started: bench.started,
      settings,
      fixtures: fixtures.files,
      ceiling,
      roundTrips,
      latency,
      apiLoads,
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
