/**
 * `npm run bench`: the pipeline against its local ceiling, and the API's overhead and tail latency,
 * all measured in one run on the real platform (startPlatformSession: moto + data stack + Toxiproxy
 * + 2 API instances + 2 workers + HAProxy + the FIS simulator, on free ports).
 *
 *   1. Ceiling, each measured alone on the idle platform:
 *      - the emulator's raw op rate for the pipeline's own operations and object sizes
 *        (bench/emulator-rate.ts), divided by the AWS operations one image costs (13, from the code);
 *      - sharp's images/s on all cores for the workload's fixture mix: the API's inspect plus the
 *        worker's sepia, through the apps' SharpImageFilter (bench/sharp-rate.ts).
 *      The local ceiling is the lower of the two.
 *   2. The raw adapter round trip (DynamoDbImageTable.get) beside GET /image/:id on one API instance
 *      and through HAProxy, one at a time (bench/round-trip.ts): the API's overhead ratio.
 *   3. Upload→processed latency: load/imagery.ts (the workload generator, steady, no bad input) at a moderate rate; the
 *      CPU every process of the platform spent meanwhile gives the whole platform's CPU cost per
 *      image, hence a third, informative ceiling: all cores busy with nothing else running.
 *   4. API p99 at 200 req/s (bench/api-load-phase.ts through HAProxy), without faults, then with each FIS
 *      experiment of BENCH_FAULTS started through @aws-sdk/client-fis part-way into the load, then
 *      without faults again (on a shared machine one window can be another tenant's busiest).
 *   5. Throughput: load/imagery.js offered in a ladder of steps (40, 55, 70, 85, 100 % of the ceiling),
 *      up to the first step it cannot keep up with; completions per second in each step's steady
 *      window, from the table; the best completion rate of any no-fault phase counts. Last, because
 *      an overloaded pipeline leaves a backlog.
 *
 * Prints a table with the ratios against ../shared/DESIGN.md's targets, writes
 * .run/bench-pipeline.json. Ratios from one run on a shared machine, not absolute figures.
 * Environment: BENCH_SEED (1), BENCH_API_COUNT / BENCH_WORKER_COUNT (2 / 2), BENCH_API_RATE (200),
 * BENCH_API_SECONDS (20), BENCH_FAULTS (dynamodb-latency,kill-api; "none" for none),
 * BENCH_LATENCY_RATE (auto: 30 % of the ceiling, 2..10), BENCH_LATENCY_SECONDS (25),
 * BENCH_STEPS (0.4,0.55,0.7,0.85,1: fractions of the ceiling offered), BENCH_STEP_SECONDS (20).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { waitForDrain } from '../chaos/runner/drain';
import { CHAOS_WORKER_ENV, PlatformSession, startPlatformSession } from '../platform/local/session';
import { FixtureManifest, generateFixtures, MANIFEST_FILE } from '../load/fixtures';
import type { LocalPlatform } from '../platform/local/local-platform';
import { repoRoot } from '@imagery/kernel/repo-root';
import { ApiLoadResult, runApiLoad } from './api-load-phase';
import { Cleanup } from './cleanup';
import { directAws, httpUrl } from './direct-aws';
import { EmulatorRateResult, FixtureFile, measureEmulatorRate, OPS_PER_IMAGE, PIPELINE_OPS } from './emulator-rate';
import { HaproxyAvailability, watchHaproxy as watchHaproxyServers } from './haproxy-watch';
import { processedImageVia } from './journey';
import { PipelinePhaseResult, runPipelinePhase } from './pipeline-phase';
import { CpuUsage, ROLES } from './proc-cpu';
import { measureRoundTrips, RoundTripResult } from './round-trip';
import { measureSharpRate, SharpRateResult } from './sharp-rate';
import { round1, round2 } from '@imagery/kernel/stats';

const TARGETS = { throughputOfCeiling: 0.7, apiOverhead: 1.2, p99Ms: 50, p99AtRate: 200 } as const;
const API_WARMUP_SECONDS = 5;
const SETTLE_MS = 5_000;

const env = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number; got ${raw}`);
  return value;
};

const started = Date.now();
/** Set on SIGINT/SIGTERM: the phase in flight may still return while the platform stops; say nothing more of it. */
let interrupted = false;
const log = (line: string): void => {
  if (!interrupted) console.log(`[bench ${String(Math.round((Date.now() - started) / 1000)).padStart(3)}s] ${line}`);
};

type Session = PlatformSession & { readonly platform: LocalPlatform };

async function main(): Promise<number> {
  const seed = env('BENCH_SEED', 1);
  const apiCount = env('BENCH_API_COUNT', 2);
  const workerCount = env('BENCH_WORKER_COUNT', 2);
  const apiRate = env('BENCH_API_RATE', TARGETS.p99AtRate);
  const apiSeconds = env('BENCH_API_SECONDS', 20);
  const stepSeconds = env('BENCH_STEP_SECONDS', 20);
  const steps = (process.env.BENCH_STEPS ?? '0.4,0.55,0.7,0.85,1')
    .split(',')
    .map(Number)
    .filter((x) => x > 0);
  const faults = (process.env.BENCH_FAULTS ?? 'dynamodb-latency,kill-api')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'none');

  const cleanup = new Cleanup();
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      console.error(`\n[bench] ${signal}: stopping the workload, the fleet, HAProxy, Toxiproxy and the emulator...`);
      interrupted = true;
      process.once(signal, () => process.exit(code));
      void cleanup.run().finally(() => process.exit(code));
    });
  }

  const runDir = join(repoRoot(), '.run', 'bench-pipeline');
  mkdirSync(runDir, { recursive: true });
  try {
    log(
      `${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, node ${process.version}, libvips ${sharp.versions.vips}`,
    );
    log(`starting the platform: moto, data stack, Toxiproxy, ${apiCount} API + ${workerCount} workers, HAProxy, FIS simulator...`);
    const t = performance.now();
    const session: Session = await startPlatformSession({
      quiet: true,
      seed,
      stackName: 'imagery-bench',
      platform: { apiCount, workerCount },
      log: () => undefined,
    });
    cleanup.add('platform', () => session.close());
    log(
      `platform up in ${round1((performance.now() - t) / 1000)} s: ${session.url} (HAProxy), emulator ${session.emulatorEndpoint}, FIS ${session.fisUrl}`,
    );

    const fixturesDir = join(repoRoot(), '.run', 'fixtures', `seed-${seed}-limit-${session.maxUploadBytes}`);
    const manifest = await ensureFixtures(fixturesDir, seed, session.maxUploadBytes);
    const fixtures: FixtureFile[] = manifest.images.map((f) => ({
      path: join(fixturesDir, f.file),
      bytes: f.bytes,
      sha256: f.sha256,
      width: f.width,
      height: f.height,
    }));
    log(`fixtures: ${fixtures.map((f) => `${f.width}x${f.height} ${Math.round(f.bytes / 1024)} KB`).join(', ')}`);

    const proxies = session.platform.controlPlane.proxies;
    const direct = directAws(session.directEnv, {
      dynamodb: session.emulatorEndpoint,
      s3: session.emulatorEndpoint,
      sqs: session.emulatorEndpoint,
    });
    const viaProxy = directAws(session.directEnv, {
      dynamodb: httpUrl(proxies.dynamodb),
      s3: httpUrl(proxies.s3),
      sqs: httpUrl(proxies.sqs),
    });
    cleanup.add('AWS clients', () => [direct, viaProxy].forEach((a) => a.destroy()));

    const warm = await processedImageVia(session.url, fixtures[fixtures.length - 1].path);
    log(`warm-up journey: image ${warm.id} created, uploaded and processed in ${Math.round(warm.ms)} ms`);

    // 1. The ceiling, on the idle platform.
    const sharpRate = await measureSharpRate({
      fixtures,
      seconds: 6,
      maxInputPixels: 40_000_000 /* the apps' MAX_INPUT_PIXELS default */,
      log,
    });
    const emulator = await measureEmulatorRate({
      aws: direct,
      emulatorEndpoint: session.emulatorEndpoint,
      fixtures,
      levels: [4, 16],
      seconds: 6,
      log,
    });
    const ceiling = Math.min(sharpRate.ceilingImagesPerSecond, emulator.ceilingImagesPerSecond);
    const limitedBy = ceiling === sharpRate.ceilingImagesPerSecond ? 'sharp' : 'emulator';
    log(`local ceiling: ${ceiling} images/s (${limitedBy})`);

    // 2. The API's overhead over the adapter round trip it wraps.
    const apiInstance = session.platform.controlPlane.fleet.instances().find((i) => i.role === 'api' && i.state === 'running');
    if (!apiInstance) throw new Error('no running API instance');
    const unprocessed = randomUUID();
    const put = await fetch(`${session.url}/image/${unprocessed}`, { method: 'PUT', headers: { Accept: 'application/json' } });
    if (put.status !== 201) throw new Error(`PUT /image/${unprocessed}: HTTP ${put.status}`);
    const roundTrips = await measureRoundTrips({
      imageId: warm.id,
      unprocessedImageId: unprocessed,
      adapter: direct.table,
      adapterViaProxy: viaProxy.table,
      apiDirectUrl: apiInstance.baseUrl,
      haproxyUrl: session.url,
      rounds: 300,
      warmup: 30,
      log,
    });

    // 3. Upload→processed latency at a rate the pipeline should sustain.
    const latencyRate = env('BENCH_LATENCY_RATE', Math.min(10, Math.max(2, Math.round(ceiling * 0.3))));
    const latencySeconds = env('BENCH_LATENCY_SECONDS', 25);
    log(`latency phase: load/imagery.js at ${latencyRate} images/s for ${latencySeconds} s (no faults, no bad input)`);
    const { metrics, haproxy } = session.platform.controlPlane;
    const watchHaproxy = () => watchHaproxyServers(haproxy, apiCount);
    const latency = await runPipelinePhase({
      name: 'latency',
      session,
      aws: direct,
      fixturesDir,
      rate: latencyRate,
      seconds: latencySeconds,
      warmupSeconds: 5,
      seed,
      runDir,
      metrics,
      watchHaproxy,
      log,
    });
    log(phaseLine(latency));
    await drain(session, 30_000);

    // 4. API p99 under steady load, without and with faults.
    const apiLoads: ApiLoadResult[] = [];
    // The no-fault run again at the end: on a shared machine one 25 s window can be another tenant's busiest.
    for (const [i, fault] of [undefined, ...faults, ...(faults.length ? [undefined] : [])].entries()) {
      const name = `api-${fault ?? (i === 0 ? 'no-fault' : 'no-fault-again')}`;
      log(
        `${name}: API load at ${apiRate} req/s through HAProxy, ${API_WARMUP_SECONDS} s warm-up + ${apiSeconds} s measured` +
          `${fault ? `; FIS ${fault} 3 s into the measured part (fault durations capped at ${Math.max(5, apiSeconds - 6)} s)` : ''}`,
      );
      const result = await runApiLoad({
        name,
        session,
        imageId: warm.id,
        rate: apiRate,
        seconds: apiSeconds,
        warmupSeconds: API_WARMUP_SECONDS,
        fault,
        faultAfterSeconds: 3,
        maxFaultSeconds: Math.max(5, apiSeconds - 6),
        seed,
        runDir,
        watchHaproxy,
        log,
      });
      apiLoads.push(result);
      log(apiLine(result));
      await fleetWhole(session, apiCount, workerCount, 60_000);
    }

    // 5. Throughput: a ladder of offered rates (fractions of the ceiling), up to the first step the
    //    pipeline cannot keep up with; each step's backlog drains (bounded) before the next.
    await sleep(SETTLE_MS); // a replaced instance's first seconds (JIT, connections) are not the pipeline's steady state
    const throughput: PipelinePhaseResult[] = [];
    for (const fraction of steps) {
      const rate = Math.max(1, Math.ceil(ceiling * fraction)); // never below the fraction: 70 % means at least 70 %
      const name = `ladder-${Math.round(fraction * 100)}%`;
      log(`${name}: load/imagery.js offered at ${rate} images/s (${Math.round(fraction * 100)} % of the ceiling) for ${stepSeconds} s`);
      const step = await runPipelinePhase({
        name,
        session,
        aws: direct,
        fixturesDir,
        rate,
        seconds: stepSeconds,
        warmupSeconds: 5,
        seed,
        runDir,
        tailMs: 0,
        // Journeys last seconds once a backlog builds: a VU made mid-run costs a script compile, and arrivals drop meanwhile.
        preVus: Math.ceil(rate * 6),
        metrics,
        watchHaproxy,
        log,
      });
      throughput.push(step);
      log(phaseLine(step));
      if (!step.keptUp) {
        log(`${name}: the pipeline did not keep up; the ladder stops here`);
        break;
      }
      await drain(session, 20_000);
    }

    const report = buildReport({
      seed,
      apiCount,
      workerCount,
      sharpRate,
      emulator,
      ceiling,
      limitedBy,
      roundTrips,
      latency,
      throughput,
      apiLoads,
      fixtures,
    });
    printReport(report);
    const file = join(repoRoot(), '.run', 'bench-pipeline.json');
    report.durationSeconds = round1((Date.now() - started) / 1000);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    log(`results written to ${file}; histories and logs in ${runDir}`);
    return 0;
  } finally {
    log('stopping the platform...');
    await cleanup.run();
    log(`done in ${round1((Date.now() - started) / 1000)} s`);
    if (interrupted) await new Promise(() => undefined); // the signal handler exits with 128 + signal
  }
}

async function ensureFixtures(dir: string, seed: number, maxUploadBytes: number): Promise<FixtureManifest> {
  if (existsSync(join(dir, MANIFEST_FILE))) return JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as FixtureManifest;
  return generateFixtures(dir, { seed, maxUploadBytes });
}

async function drain(session: Session, timeoutMs: number): Promise<void> {
  const result = await waitForDrain({ env: session.directEnv }, timeoutMs);
  log(
    result.drained
      ? `drained in ${round1(result.waitedMs / 1000)} s`
      : `NOT drained after ${round1(result.waitedMs / 1000)} s (${result.queued} queued, ${result.uploaded} uploaded): the next phase starts with a backlog`,
  );
}

/** After a kill: wait until every slot runs again and HAProxy has every API server UP. */
async function fleetWhole(session: Session, apiCount: number, workerCount: number, timeoutMs: number): Promise<void> {
  const { fleet, haproxy } = session.platform.controlPlane;
  const deadline = Date.now() + timeoutMs;
  const t0 = Date.now();
  let waited = false;
  while (Date.now() < deadline) {
    const running = fleet.instances().filter((i) => i.state === 'running');
    const up = Object.values(await haproxy.serverStates().catch(() => ({}))).filter((s) => s === 'UP').length;
    if (
      running.filter((i) => i.role === 'api').length >= apiCount &&
      running.filter((i) => i.role === 'worker').length >= workerCount &&
      up >= apiCount
    ) {
      if (waited) log(`fleet whole again after ${round1((Date.now() - t0) / 1000)} s`);
      return;
    }
    waited = true;
    await sleep(250);
  }
  log(`fleet NOT whole after ${timeoutMs / 1000} s: continuing`);
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

interface Report {
  benchmark: 'pipeline';
  startedAt: string;
  durationSeconds?: number;
  machine: { cpus: number; cpuModel?: string; node: string; libvips: string; loadAverageAtEnd: number[] };
  settings: Record<string, unknown>;
  ceiling: {
    opsPerImage: number;
    pipelineOps: typeof PIPELINE_OPS;
    emulator: EmulatorRateResult;
    sharp: SharpRateResult;
    imagesPerSecond: number;
    limitedBy: string;
    /** Rough: if the emulator's and sharp's work shared the same cores, 1 / (1/a + 1/b). */
    sharedCpuImagesPerSecond: number;
    /**
     * What one image really costs the platform in CPU, all processes together (measured in the latency
     * phase, background included; the bench itself, workload generator included, left out), and the rate that fills every core.
     */
    cpuBudget: { coreMsPerImage: Record<string, number>; totalCoreMsPerImage: number; imagesPerSecond: number };
  };
  roundTrips: RoundTripResult;
  pipeline: {
    latency: PipelinePhaseResult;
    throughput: PipelinePhaseResult[];
    /** The step that processed the most images per second. */
    best: string;
    imagesPerSecond: number;
  };
  api: ApiLoadResult[];
  ratios: {
    throughputOfCeiling: number;
    throughputOfSharedCpuCeiling: number;
    throughputOfCpuBudget: number;
    apiOverhead: number;
    apiOverheadVsEmulatorDirect: number;
    haproxyOverAdapter: number;
    /** The better of the no-fault runs (all of them in p99NoFaultRunsMs). */
    p99NoFaultMs: number;
    p99NoFaultRunsMs: number[];
  };
  targets: typeof TARGETS;
  verdicts: { throughput: boolean; apiOverhead: boolean; p99: boolean };
}

function buildReport(r: {
  seed: number;
  apiCount: number;
  workerCount: number;
  sharpRate: SharpRateResult;
  emulator: EmulatorRateResult;
  ceiling: number;
  limitedBy: string;
  roundTrips: RoundTripResult;
  latency: PipelinePhaseResult;
  throughput: PipelinePhaseResult[];
  apiLoads: ApiLoadResult[];
  fixtures: FixtureFile[];
}): Report {
  // Any no-fault phase's completions count, the latency phase's too: a step past the knee can collapse below an earlier one.
  const best = [r.latency, ...r.throughput].reduce((a, b) => (b.processedPerSecond > a.processedPerSecond ? b : a));
  const shared = round2(1 / (1 / r.sharpRate.ceilingImagesPerSecond + 1 / r.emulator.ceilingImagesPerSecond));
  const pipelineRoles = ROLES.filter((role) => role !== 'bench');
  const perImage = Object.fromEntries(
    pipelineRoles.map((role) => [role, round1((1000 * r.latency.cpu.seconds[role]) / Math.max(1, r.latency.processed))]),
  );
  const totalPerImage = round1(Object.values(perImage).reduce((a, b) => a + b, 0));
  const cpuBudget = {
    coreMsPerImage: perImage,
    totalCoreMsPerImage: totalPerImage,
    imagesPerSecond: round2((cpus().length * 1000) / totalPerImage),
  };
  const noFaultRuns = r.apiLoads.filter((a) => !a.fault);
  const noFault = noFaultRuns[0];
  const p99 = noFaultRuns.length ? Math.min(...noFaultRuns.map((a) => a.ms.all.p99)) : NaN;
  const ratios = {
    throughputOfCeiling: round2(best.processedPerSecond / r.ceiling),
    throughputOfSharedCpuCeiling: round2(best.processedPerSecond / shared),
    throughputOfCpuBudget: round2(best.processedPerSecond / cpuBudget.imagesPerSecond),
    apiOverhead: r.roundTrips.ratios.apiDirectOverAdapterViaProxy,
    apiOverheadVsEmulatorDirect: r.roundTrips.ratios.apiDirectOverAdapter,
    haproxyOverAdapter: r.roundTrips.ratios.haproxyOverAdapter,
    p99NoFaultMs: p99,
    p99NoFaultRunsMs: noFaultRuns.map((a) => a.ms.all.p99),
  };
  return {
    benchmark: 'pipeline',
    startedAt: new Date(started).toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      node: process.version,
      libvips: sharp.versions.vips ?? '?',
      loadAverageAtEnd: loadavg().map(round2),
    },
    settings: {
      seed: r.seed,
      apiInstances: r.apiCount,
      workers: r.workerCount,
      workerEnv: CHAOS_WORKER_ENV,
      fixtures: r.fixtures.map((f) => ({ width: f.width, height: f.height, bytes: f.bytes })),
      latencyRate: r.latency.offeredRate,
      throughputRates: r.throughput.map((t) => t.offeredRate),
      apiRate: noFault?.rate,
      apiSeconds: noFault?.seconds,
      faults: r.apiLoads.filter((a) => a.fault).map((a) => a.fault),
    },
    ceiling: {
      opsPerImage: OPS_PER_IMAGE,
      pipelineOps: PIPELINE_OPS,
      emulator: r.emulator,
      sharp: r.sharpRate,
      imagesPerSecond: r.ceiling,
      limitedBy: r.limitedBy,
      sharedCpuImagesPerSecond: shared,
      cpuBudget,
    },
    roundTrips: r.roundTrips,
    pipeline: { latency: r.latency, throughput: r.throughput, best: best.name, imagesPerSecond: best.processedPerSecond },
    api: r.apiLoads,
    ratios,
    targets: TARGETS,
    verdicts: {
      throughput: ratios.throughputOfCeiling >= TARGETS.throughputOfCeiling,
      apiOverhead: ratios.apiOverhead <= TARGETS.apiOverhead,
      p99: p99 < TARGETS.p99Ms,
    },
  };
}

function printReport(r: Report): void {
  const c = r.ceiling;
  const out: string[] = [];
  const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');
  const ms = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const pct = (v: number | undefined) => (v === undefined ? '?' : `${Math.round(v)}%`);
  const steps = r.pipeline.throughput;
  const l = r.pipeline.latency;
  const best = [l, ...steps].find((t) => t.name === r.pipeline.best) ?? l;
  out.push('');
  out.push(
    `Pipeline benchmark — ${r.machine.cpus} cores, ${r.settings.apiInstances} API + ${r.settings.workers} workers ` +
      `(WORKER_CONCURRENCY ${CHAOS_WORKER_ENV.WORKER_CONCURRENCY}), seed ${r.settings.seed}, load average at the end ${r.machine.loadAverageAtEnd.join(' ')}`,
  );
  out.push('One run on a shared machine: read the ratios, not the absolute figures ("machine busy" below includes other tenants).');
  out.push('');

  out.push('Local ceiling (each measured alone, on the idle platform)');
  const e = c.emulator.best;
  out.push(
    `  emulator   ${e.opsPerSecond} ops/s raw, the pipeline's calls and object sizes, ${e.concurrency} loops at once ` +
      `(moto ${pct(e.emulatorCpuPercent)} of a core, client ${pct(e.clientCpuPercent)}, machine ${pct(e.machineBusyPercent)} busy)`,
  );
  out.push(
    `             ÷ ${c.opsPerImage} ops/image = ${c.emulator.ceilingImagesPerSecond} images/s   (other level${c.emulator.levels.length > 2 ? 's' : ''}: ${c.emulator.levels
      .filter((x) => x !== e)
      .map((x) => `${x.concurrency} loops ${x.opsPerSecond} ops/s`)
      .join(', ')})`,
  );
  out.push(
    `  sharp      ${c.sharp.pipeline.imagesPerSecond} images/s on ${c.sharp.cores} cores: API inspect + worker sepia, fixture mix ` +
      `(${c.sharp.pipeline.coreMsPerImage} core-ms/image; sepia alone ${c.sharp.sepia.imagesPerSecond}/s; machine ${pct(c.sharp.pipeline.machineBusyPercent)} busy)`,
  );
  out.push(
    `  ceiling    ${c.imagesPerSecond} images/s, the lower (${c.limitedBy}); if both shared the same cores: ~${c.sharedCpuImagesPerSecond} images/s`,
  );
  const budget = c.cpuBudget;
  out.push(
    `  CPU/image  ${budget.totalCoreMsPerImage} core-ms for the whole platform (latency phase, background included, the load generator left out): ` +
      `${Object.entries(budget.coreMsPerImage)
        .filter(([, v]) => v >= 0.5)
        .sort((a, b) => b[1] - a[1])
        .map(([role, v]) => `${role} ${v}`)
        .join(', ')}`,
  );
  out.push(`             → ${r.machine.cpus} cores all busy: ~${budget.imagesPerSecond} images/s, with nothing else on the machine`);
  out.push(`  ops/image  ${PIPELINE_OPS.map((x) => `${x.step}: ${x.ops.join(' ')}`).join('\n             ')}`);
  out.push(`  emulator latency per op, p50 ms under that load: ${c.emulator.operations.map((o) => `${o.operation} ${o.p50}`).join(', ')}`);
  out.push('');

  out.push('Pipeline: load/imagery.ts through HAProxy, steady arrivals, no faults, no bad input');
  const header = [
    'phase',
    'offered/s',
    'uploads/s',
    'processed/s',
    'x ceiling',
    'upload→processed p50 / p99 ms',
    'polled p50 / p99 ms',
    'GETs/img',
    'workload',
    'HAProxy servers',
  ];
  const rows = [l, ...steps].map((p) => [
    p.name,
    String(p.offeredRate),
    p.uploadsPerSecond.toFixed(1),
    p.processedPerSecond.toFixed(1),
    (p.processedPerSecond / c.imagesPerSecond).toFixed(2),
    `${ms(p.latencyMs.exact.p50)} / ${ms(p.latencyMs.exact.p99)}`,
    `${ms(p.latencyMs.polled.p50)} / ${ms(p.latencyMs.polled.p99)}`,
    p.getsPerImage.toFixed(1),
    `${p.keptUp ? 'kept up, ' : ''}${p.workload.outcome}${p.workload.droppedIterations ? `, ${p.workload.droppedIterations} dropped` : ''}${p.workload.serverErrors + p.workload.networkErrors ? `, ${p.workload.serverErrors + p.workload.networkErrors} errors (retried)` : ''}`,
    haproxyCell(p.haproxy),
  ]);
  out.push(...table(header, rows));
  out.push(
    "  upload→processed: the worker's processed transition (its DynamoDB updatedAt) minus the upload's acknowledgement at the client;",
  );
  out.push('  "polled" is the first GET that saw it (polls 100 ms apart growing x1.5 to 1 s: coarser and later).');
  out.push(
    `  rates over each phase's window after its warm-up (latency ${l.window.seconds} s after ${l.seconds - l.window.seconds} s, ladder steps ${steps[0]?.window.seconds} s after ${(steps[0]?.seconds ?? 0) - (steps[0]?.window.seconds ?? 0)} s);` +
      ` processed/uploaded by the end: ${[l, ...steps].map((t) => `${t.name} ${t.processed}/${t.uploaded}`).join(', ')}.`,
  );
  out.push(
    '  kept up: arrivals sent, uploads >= 95 % of offered, completions >= 95 % of uploads, <= ~2 s of work left: capacity >= offered.',
  );
  out.push('  HAProxy servers: seconds with fewer than all API servers UP / with none UP (503s), from its stats every 500 ms.');
  for (const p of [l, ...steps]) {
    const calls = p.awsCalls;
    if (!calls) continue;
    const perImage = p.processed ? (calls.total - calls.background) / p.processed : NaN;
    const top = Object.entries(calls.byOperation)
      .sort((x, y) => y[1] - x[1])
      .map(([op, n]) => `${op} ${n}`)
      .join(', ');
    out.push(
      `  ${p.name}: the fleet's AWS calls ${calls.perSecond}/s (${Math.round((100 * calls.perSecond) / e.opsPerSecond)}% of the emulator's raw rate; ` +
        `${calls.background} of ${calls.total} readiness checks and repair sweeps)${p === l ? `; ${perImage.toFixed(1)} per processed image, expected ${c.opsPerImage} + ${p.getsPerImage} GETs` : ''}`,
    );
    out.push(`    calls: ${top}`);
    const means = Object.entries(calls.meanMs).filter(([op]) => calls.byOperation[op] && op !== 'ReceiveMessage'); // a receive long-polls up to 20 s
    out.push(
      `    mean ms per call as the apps saw it: ${means
        .sort((x, y) => y[1] - x[1])
        .map(([op, v]) => `${op} ${v}`)
        .join(', ')}`,
    );
    const jobs = Object.entries(calls.jobs)
      .map(([outcome, n]) => `${outcome} ${n}`)
      .join(', ');
    out.push(`    worker jobs: ${jobs || 'none'}; repair sweep re-enqueued ${calls.repairs}`);
  }
  out.push('');

  out.push('API: GET /image/:id round trip, one request at a time, idle platform (ms)');
  const rt = r.roundTrips.ms;
  const rtRows: Array<[string, (typeof rt)['adapter']]> = [
    ['DynamoDbImageTable.get → emulator', rt.adapter],
    ['DynamoDbImageTable.get → Toxiproxy → emulator', rt.adapterViaProxy],
    ['GET /image/:id → API instance (processed: presigned URL)', rt.apiDirect],
    ['GET /image/:id → API instance (created: no URL to sign)', rt.apiDirectUnprocessed],
    ['GET /image/:id → HAProxy → Toxiproxy → API instance', rt.apiViaHaproxy],
  ];
  out.push(
    ...table(
      ['', 'p50', 'p90', 'p99'],
      rtRows.map(([name, x]) => [name, ms(x.p50), ms(x.p90), ms(x.p99)]),
    ),
  );
  out.push('');

  out.push(
    `API under steady load (bench/api-load-phase.ts) through HAProxy at ${r.settings.apiRate} req/s, 80 % GET /image/:id + 20 % PUT /image/<uuid>, ` +
      `no retries; ${API_WARMUP_SECONDS} s warm-up left out, then ${r.settings.apiSeconds} s`,
  );
  out.push(
    ...table(
      [
        'fault',
        'req/s',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'GET p99',
        'PUT p99',
        'p99 during fault',
        'max ms',
        'failed',
        'dropped',
        'HAProxy servers',
        'fleet events',
      ],
      r.api.map((a) => [
        a.fault ?? (a.name.endsWith('again') ? 'none (again)' : 'none'),
        `${a.achievedRate}`,
        ms(a.ms.all.p50),
        ms(a.ms.all.p90),
        ms(a.ms.all.p99),
        ms(a.ms.reads.p99),
        ms(a.ms.creates.p99),
        a.ms.duringFault ? `${ms(a.ms.duringFault.p99)} (${a.ms.duringFault.n} req)` : '-',
        ms(a.ms.all.max),
        String(a.failed),
        String(a.droppedIterations),
        haproxyCell(a.haproxy),
        a.fleetEvents.join('; ') || '-',
      ]),
    ),
  );
  out.push(
    '  dropped: arrivals the generator could not send on time (every journey slot busy): load not offered, so the latency understates it.',
  );
  out.push('');

  out.push('CPU, % of one core per role; ours = everything this bench started and others = the rest of the machine, % of all cores');
  const cpuRows: Array<[string, CpuUsage]> = [
    [`emulator alone (${e.concurrency} loops)`, e.cpu],
    ['latency phase', l.cpu],
    ...steps.map((t): [string, CpuUsage] => [t.name, t.cpu]),
    ...r.api.map((a): [string, CpuUsage] => [`api, ${a.fault ?? 'no fault'}`, a.cpu]),
  ];
  out.push(
    ...table(
      ['phase', ...ROLES, 'ours', 'others', 'machine'],
      cpuRows.map(([name, u]) => [
        name,
        ...ROLES.map((role) => String(Math.round(u.percentOfCore[role]))),
        pct(u.oursPercentOfMachine),
        u.machineBusyPercent === undefined ? '?' : pct(Math.max(0, u.machineBusyPercent - u.oursPercentOfMachine)),
        pct(u.machineBusyPercent),
      ]),
    ),
  );
  out.push('');

  const x = r.ratios;
  out.push('Ratios against ../shared/DESIGN.md "Targets"');
  out.push(
    `  pipeline throughput / local ceiling  ${x.throughputOfCeiling.toFixed(2)}   ${best.processedPerSecond} (${best.name}${best.keptUp ? ', kept up with all it was offered: capacity at least this' : ''})` +
      ` / ${c.imagesPerSecond} images/s; target >= ${TARGETS.throughputOfCeiling}: ${verdict(r.verdicts.throughput)}`,
  );
  out.push(
    `    ... / shared-CPU estimate          ${x.throughputOfSharedCpuCeiling.toFixed(2)}   ${best.processedPerSecond} / ${c.sharedCpuImagesPerSecond} images/s (informative)`,
  );
  out.push(
    `    ... / whole-platform CPU budget    ${x.throughputOfCpuBudget.toFixed(2)}   ${best.processedPerSecond} / ${c.cpuBudget.imagesPerSecond} images/s (informative)`,
  );
  out.push(
    `  API overhead, p50                    ${x.apiOverhead.toFixed(2)}x  the adapter round trip it wraps (through Toxiproxy, like the instance's); target <= ${TARGETS.apiOverhead}: ${verdict(r.verdicts.apiOverhead)}`,
  );
  out.push(
    `                                       ${x.apiOverheadVsEmulatorDirect.toFixed(2)}x  the adapter straight to the emulator; ${x.haproxyOverAdapter.toFixed(2)}x through HAProxy`,
  );
  out.push(
    `  API p99 at ${r.settings.apiRate} req/s, no fault        ${ms(x.p99NoFaultMs)} ms; target < ${TARGETS.p99Ms} ms: ${verdict(r.verdicts.p99)}` +
      `${x.p99NoFaultRunsMs.length > 1 ? ` (the better of the no-fault runs: ${x.p99NoFaultRunsMs.map((v) => `${ms(v)} ms`).join(', ')})` : ''}`,
  );
  out.push('');
  console.log(out.join('\n'));
}

function haproxyCell(h: HaproxyAvailability | undefined): string {
  return h ? `${h.degradedSeconds} s / ${h.noneUpSeconds} s` : '-';
}

function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const format = (row: string[]) => '  ' + row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [format(header), '  ' + widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format)];
}

function phaseLine(p: PipelinePhaseResult): string {
  return (
    `${p.name}: offered ${p.offeredRate}/s → uploads ${p.uploadsPerSecond}/s, processed ${p.processedPerSecond}/s in the ${p.window.seconds} s window; ` +
    `upload→processed p50 ${Math.round(p.latencyMs.exact.p50)} ms, p99 ${Math.round(p.latencyMs.exact.p99)} ms; ${p.processed}/${p.uploaded} processed; workload ${p.workload.outcome}`
  );
}

function apiLine(a: ApiLoadResult): string {
  return (
    `${a.name}: ${a.requests} requests (${a.achievedRate}/s), p50 ${a.ms.all.p50} ms, p99 ${a.ms.all.p99} ms` +
    `${a.ms.duringFault ? `, p99 during the fault ${a.ms.duringFault.p99} ms` : ''}, ${a.failed} failed, ${a.droppedIterations} dropped`
  );
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    process.exit(1);
  },
);
