/**
 * `npm run bench:sepia`: what the worker's processing costs per image, against the bare sharp transform
 * of the same image, measured in one run; then the real worker's peak memory on 12 MP images.
 *
 *   1. Starts its own moto server (free port) and deploys infra/data.yaml on it.
 *   2. For 1, 4 and 12 MP photo-like JPEGs (quality 85), interleaving the variants so they share the
 *      machine's noise: bare sharp from a buffer (the baseline), the worker's sepia stream alone, the
 *      worker's whole job (the ProcessImage use case with the real adapters: S3 get, sepia, S3 put,
 *      DynamoDB transition), and the emulator's share of that job on its own (S3 get + put of the same
 *      bytes; the job's three DynamoDB calls).
 *   3. Runs the real worker (dist/apps/worker/src/main.js) at concurrency 4 on 16 queued 12 MP images
 *      and samples its RSS from /proc every 50 ms: the peak must stay under 400 MB.
 *
 * Prints a table, writes .run/bench-sepia.json, exits non-zero when the peak RSS is 400 MB or more
 * (or the worker does not process every image). Environment: BENCH_ITERATIONS (all sizes),
 * BENCH_RSS_IMAGES (default 16), BENCH_WORKER_SCRIPT (another build of the worker to measure).
 */
import { AwsResourcesEnv, awsResourcesEnvSchema, createPlatformAdapters, parseEnv, PlatformAdapters } from '@imagery/aws-adapters';
import { newImage, ProcessImage, processedKeyOf, systemClock, transitionImage } from '@imagery/domain';
import { compareSepia, SEPIA_MATRIX, SharpImageFilter, sepiaJpegOptions } from '@imagery/image-filter';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { deployDataStack, resourcesToEnv } from '../platform/local/emulator/data-stack';
import { startMotoServer } from '../platform/local/emulator/moto-server';
import { repoRoot } from '@imagery/kernel/repo-root';
import { spawnManaged } from './child-process';
import { Cleanup } from './cleanup';
import { makePhotoJpeg } from '../load/photo-jpeg';
import { sampleProcMemory } from './proc-memory';
import { round1, round2, Summary, summarize } from '@imagery/kernel/stats';

const JPEG_QUALITY = 85;
const WARMUP = 2;
const RSS_LIMIT_MB = 400;
const RSS_CONCURRENCY = 4;
const RSS_SAMPLE_MS = 50;
const TRANSFORM_TARGET = 1.2;
/** S3 bodies arrive in socket-sized chunks; feed the in-memory runs the same way. */
const CHUNK_BYTES = 64 * 1024;

interface SizeSpec {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  readonly iterations: number;
}

const SIZES: readonly SizeSpec[] = [
  { label: '1 MP', width: 1152, height: 864, iterations: 40 },
  { label: '4 MP', width: 2304, height: 1728, iterations: 30 },
  { label: '12 MP', width: 4000, height: 3000, iterations: 20 },
];

type Variant = 'bare' | 'transform' | 'worker' | 's3' | 'ddb';
const VARIANTS: readonly Variant[] = ['bare', 'transform', 'worker', 's3', 'ddb'];

interface SizeResult {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  readonly jpegBytes: number;
  readonly sepiaBytes: number;
  readonly iterations: number;
  /** ms per image: bare sharp; the worker's sepia stream; the worker's job; S3 get+put alone; the job's DynamoDB calls alone. */
  readonly timings: Record<Variant, Summary>;
  readonly ratios: { readonly transform: number; readonly worker: number; readonly workerNetOfEmulator: number };
  readonly sepiaCheck: { readonly ok: boolean; readonly meanError: number };
}

interface RssResult {
  readonly images: number;
  readonly concurrency: number;
  readonly megapixels: number;
  readonly maxInputPixels: number;
  readonly idleRssMb: number;
  readonly peakRssMb: number;
  readonly sampledMaxRssMb: number;
  readonly samples: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly processed: number;
  readonly jobErrors: number;
  readonly limitMb: number;
  readonly pass: boolean;
}

const log = (line: string): void => console.log(`[bench] ${line}`);

async function main(): Promise<number> {
  const started = Date.now();
  const cleanup = new Cleanup();
  cleanup.exitOnSignals();
  try {
    log('starting moto_server and deploying the data stack...');
    const moto = await startMotoServer({ logName: 'bench-sepia-moto' });
    cleanup.add('moto_server', () => moto.stop());
    const resources = await deployDataStack({ endpoint: moto.endpoint, stackName: 'bench-sepia' });
    const env = resourcesToEnv(moto.endpoint, resources);
    Object.assign(process.env, env); // the SDK reads endpoints and credentials from the environment
    const config = parseEnv(awsResourcesEnvSchema, env);
    const adapters = createPlatformAdapters(config);
    cleanup.add('AWS clients', () => adapters.clients.destroy());
    log(`moto on ${moto.endpoint} (log ${moto.logFile}); ${cpus().length} CPU(s), node ${process.version}, libvips ${sharp.versions.vips}`);

    const images = new Map<string, Buffer>();
    for (const size of SIZES) {
      const t = performance.now();
      images.set(size.label, await makePhotoJpeg(size.width, size.height, { seed: size.width, quality: JPEG_QUALITY }));
      log(
        `generated ${size.label} JPEG ${size.width}x${size.height}: ${kb(images.get(size.label)!.length)} KB in ${ms(performance.now() - t)} ms`,
      );
    }

    const results: SizeResult[] = [];
    for (const size of SIZES) results.push(await benchSize(size, images.get(size.label)!, adapters, config));
    printTable(results);

    const largest = SIZES[SIZES.length - 1];
    const rss = await benchWorkerRss(largest, images.get(largest.label)!, adapters, config, env, cleanup);
    printRss(rss, results[results.length - 1]);

    const file = join(repoRoot(), '.run', 'bench-sepia.json');
    mkdirSync(join(repoRoot(), '.run'), { recursive: true });
    const report = {
      benchmark: 'sepia',
      startedAt: new Date(started).toISOString(),
      durationSeconds: round1((Date.now() - started) / 1000),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        node: process.version,
        sharp: sharp.versions.sharp,
        libvips: sharp.versions.vips,
      },
      settings: {
        jpegQuality: JPEG_QUALITY,
        warmup: WARMUP,
        chunkBytes: CHUNK_BYTES,
        maxInputPixels: config.MAX_INPUT_PIXELS,
        transformTarget: TRANSFORM_TARGET,
        baseline: 'sharp(buffer).recomb(SEPIA_MATRIX).jpeg(sepiaJpegOptions(85)).toBuffer()',
        emulator: moto.endpoint,
      },
      sizes: results,
      rss,
      pass: rss.pass,
    };
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    log(`results written to ${file} (${round1((Date.now() - started) / 1000)} s in all)`);
    return rss.pass ? 0 : 1;
  } finally {
    await cleanup.run();
  }
}

/** Interleaved runs of every variant on one image size. */
async function benchSize(size: SizeSpec, jpeg: Buffer, adapters: PlatformAdapters, config: AwsResourcesEnv): Promise<SizeResult> {
  const iterations = Number(process.env.BENCH_ITERATIONS) || size.iterations;
  const { table, store } = adapters;
  const filter = new SharpImageFilter({ maxInputPixels: config.MAX_INPUT_PIXELS, jpegQuality: JPEG_QUALITY });
  const processImage = new ProcessImage(table, store, filter, systemClock);
  const tag = size.label.replace(' ', '');

  // Set-up, not timed: one raw object, one `uploaded` item per worker run (all pointing at it),
  // the sepia bytes for the S3-only run, and a scratch item for the DynamoDB-only run.
  log(`${size.label}: setting up ${WARMUP + iterations} uploaded images...`);
  const rawKey = `bench/raw-${tag}`;
  await store.put(rawKey, chunked(jpeg), 'image/jpeg');
  const ids: string[] = [];
  for (let i = 0; i < WARMUP + iterations; i++) ids.push(await uploadedImage(adapters, rawKey));
  const sepia = await sharp(jpeg).recomb(SEPIA_MATRIX).jpeg(sepiaJpegOptions(JPEG_QUALITY)).toBuffer();
  const scratchKey = `bench/s3-only-${tag}.jpg`;
  const scratchId = randomUUID();
  await table.create(newImage(scratchId, Date.now()));
  // A finished state, so the worker's repair sweep (later, in the RSS phase) leaves it alone.
  await table.update({ ...newImage(scratchId, Date.now()), state: 'processed', processedS3Key: scratchKey, version: 1 }, 0, ['created']);

  const runs: Record<Variant, () => Promise<unknown>> = {
    bare: () => sharp(jpeg).recomb(SEPIA_MATRIX).jpeg(sepiaJpegOptions(JPEG_QUALITY)).toBuffer(),
    transform: () => pipeline(filter.sepia(chunked(jpeg)), discard()),
    worker: async () => {
      const id = ids.shift()!;
      const outcome = await processImage.execute(id);
      if (outcome !== 'processed') throw new Error(`ProcessImage(${id}) returned ${outcome}`);
    },
    s3: async () => {
      await pipeline(await store.get(rawKey), discard());
      await store.put(scratchKey, chunked(sepia), 'image/jpeg');
    },
    // What ProcessImage asks of DynamoDB: get, then the transition's get + conditional update.
    ddb: async () => {
      await table.get(scratchId);
      const current = (await table.get(scratchId))!;
      await table.update({ ...current, version: current.version + 1, updatedAt: Date.now() }, current.version, ['processed']);
    },
  };

  const firstId = ids[WARMUP];
  const samples: Record<Variant, number[]> = { bare: [], transform: [], worker: [], s3: [], ddb: [] };
  for (let i = 0; i < WARMUP + iterations; i++) {
    // Rotate the order each round, so no variant always runs right after the same neighbour.
    for (let k = 0; k < VARIANTS.length; k++) {
      const variant = VARIANTS[(i + k) % VARIANTS.length];
      const t = performance.now();
      await runs[variant]();
      if (i >= WARMUP) samples[variant].push(performance.now() - t);
    }
    const done = i + 1 - WARMUP;
    if (done > 0 && (done === iterations || done % Math.ceil(iterations / 4) === 0)) {
      const m = (v: Variant) => ms(summarize(samples[v]).median);
      log(
        `${size.label}: ${done}/${iterations}  median so far: bare ${m('bare')} ms, transform ${m('transform')} ms, worker ${m('worker')} ms`,
      );
    }
  }

  const processed = await store.get(processedKeyOf(firstId));
  const check = await compareSepia(jpeg, await toBuffer(processed));
  const timings = Object.fromEntries(VARIANTS.map((v) => [v, summarize(samples[v])])) as Record<Variant, Summary>;
  const bare = timings.bare.median;
  return {
    label: size.label,
    width: size.width,
    height: size.height,
    jpegBytes: jpeg.length,
    sepiaBytes: sepia.length,
    iterations,
    timings: Object.fromEntries(VARIANTS.map((v) => [v, roundSummary(timings[v])])) as Record<Variant, Summary>,
    ratios: {
      transform: round2(timings.transform.median / bare),
      worker: round2(timings.worker.median / bare),
      workerNetOfEmulator: round2((timings.worker.median - timings.s3.median - timings.ddb.median) / bare),
    },
    sepiaCheck: { ok: check.ok, meanError: round1(check.meanError) },
  };
}

/** The real worker on queued 12 MP images at concurrency 4, its memory read from /proc. */
async function benchWorkerRss(
  size: SizeSpec,
  jpeg: Buffer,
  adapters: PlatformAdapters,
  config: AwsResourcesEnv,
  env: Record<string, string>,
  cleanup: Cleanup,
): Promise<RssResult> {
  const count = Number(process.env.BENCH_RSS_IMAGES) || 16;
  const rawKey = `bench/rss-raw-${size.label.replace(' ', '')}`;
  await adapters.store.put(rawKey, chunked(jpeg), 'image/jpeg');
  const ids: string[] = [];
  for (let i = 0; i < count + 1; i++) ids.push(await uploadedImage(adapters, rawKey));
  const [warmId, ...jobIds] = ids;

  const script = process.env.BENCH_WORKER_SCRIPT || join(repoRoot(), 'dist', 'apps', 'worker', 'src', 'main.js');
  const logFile = join(repoRoot(), '.run', 'bench-sepia-worker.log');
  log(`worker phase: starting ${script} (WORKER_CONCURRENCY=${RSS_CONCURRENCY}, log ${logFile})...`);
  const worker = spawnManaged(
    process.execPath,
    [script],
    { ...process.env, ...env, WORKER_CONCURRENCY: String(RSS_CONCURRENCY), RECEIVE_WAIT_SECONDS: '1', NO_COLOR: '1' },
    logFile,
  );
  cleanup.add('worker', () => worker.stop());
  const sampler = sampleProcMemory(worker.pid, RSS_SAMPLE_MS);
  cleanup.add('memory sampler', () => sampler.stop());

  let processed = 0;
  let otherOutcomes = 0;
  let jobErrors = 0;
  let lastDone = 0;
  const progress = new Set<() => void>();
  worker.onLine((line) => {
    const outcome = /message \S+: ([a-z-]+)\s*$/.exec(line);
    if (outcome) {
      if (outcome[1] === 'processed') processed++;
      else otherOutcomes++;
      lastDone = performance.now();
    } else if (/message \S+ \(receive \d+\) failed/.test(line)) {
      jobErrors++;
      log(`worker: ${line.replace(/^.*?(message )/, '$1')}`);
    }
    progress.forEach((p) => p());
  });
  const until = (done: () => boolean, timeoutMs: number, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done()) return;
        finish();
        resolve();
      };
      const timer = setTimeout(() => (finish(), reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`))), timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        progress.delete(check);
      };
      progress.add(check);
      void worker.exited.then(
        (how) => (finish(), reject(new Error(`the worker exited (${how}) while waiting for ${what}; see ${logFile}`))),
      );
      check();
    });

  // Ready means it has done one job: Nest booted, sharp loaded, connections open.
  await adapters.queue.send({ imageId: warmId });
  await until(() => processed + otherOutcomes >= 1, 90_000, 'the warm-up image');
  const idleRssMb = sampler.last?.rssMb ?? NaN;
  log(`worker ready (pid ${worker.pid}, RSS ${ms(idleRssMb)} MB after one image); enqueueing ${count} x ${size.label}...`);

  const t0 = performance.now();
  await Promise.all(jobIds.map((imageId) => adapters.queue.send({ imageId })));
  let reported = 0;
  progress.add(() => {
    const done = processed - 1;
    if (done >= reported + Math.ceil(count / 4) || (done === count && reported < count)) {
      reported = done;
      log(`worker: ${done}/${count} processed, RSS now ${ms(sampler.last?.rssMb ?? NaN)} MB, peak ${ms(sampler.last?.hwmMb ?? NaN)} MB`);
    }
  });
  try {
    await until(() => processed + otherOutcomes >= count + 1, 150_000, `${count} images to be processed`);
  } catch (error) {
    log(`${(error as Error).message}`);
  }
  const seconds = ((lastDone || performance.now()) - t0) / 1000;
  sampler.stop();
  const last = sampler.last;
  log(`worker stopped (${await worker.stop()})`);

  // The table is the authority on what was processed, not the log.
  const states = await Promise.all(jobIds.map(async (id) => (await adapters.table.get(id))?.state));
  const done = states.filter((s) => s === 'processed').length;
  const peakRssMb = Math.max(last?.hwmMb ?? 0, sampler.maxRssMb);
  return {
    images: count,
    concurrency: RSS_CONCURRENCY,
    megapixels: round1((size.width * size.height) / 1e6),
    maxInputPixels: config.MAX_INPUT_PIXELS,
    idleRssMb: round1(idleRssMb),
    peakRssMb: round1(peakRssMb),
    sampledMaxRssMb: round1(sampler.maxRssMb),
    samples: sampler.samples,
    seconds: round2(seconds),
    imagesPerSecond: round2(done / seconds),
    processed: done,
    jobErrors,
    limitMb: RSS_LIMIT_MB,
    pass: peakRssMb > 0 && peakRssMb < RSS_LIMIT_MB && done === count,
  };
}

function printTable(results: readonly SizeResult[]): void {
  const header = [
    ['size', 'JPEG', 'bare sharp', 'transform', '', 'worker job', '', 'S3 get+put', 'DDB x3', 'worker-emu', ''],
    ['', 'KB', 'med / p90', 'med / p90', 'x bare', 'med / p90', 'x bare', 'med', 'med', 'med', 'x bare'],
  ];
  const rows = results.map((r) => {
    const t = r.timings;
    const net = t.worker.median - t.s3.median - t.ddb.median;
    return [
      r.label,
      kb(r.jpegBytes),
      `${ms(t.bare.median)} / ${ms(t.bare.p90)}`,
      `${ms(t.transform.median)} / ${ms(t.transform.p90)}`,
      r.ratios.transform.toFixed(2),
      `${ms(t.worker.median)} / ${ms(t.worker.p90)}`,
      r.ratios.worker.toFixed(2),
      ms(t.s3.median),
      ms(t.ddb.median),
      ms(net),
      r.ratios.workerNetOfEmulator.toFixed(2),
    ];
  });
  const all = [...header, ...rows];
  const widths = header[0].map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const format = (row: string[]): string => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log('\nSepia per image, ms (median / p90 over the iterations; ratios are of medians, against bare sharp):');
  header.forEach((row) => console.log(format(row)));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((row) => console.log(format(row)));
  console.log(
    [
      '  bare sharp  sharp(buffer).recomb(sepia).jpeg(q85, same encoder options as the worker).toBuffer(), in memory',
      "  transform   the worker's SharpImageFilter.sepia() stream, fed 64 KB chunks from memory, drained",
      '  worker job  ProcessImage.execute on the emulator: DDB get, S3 get -> sepia -> S3 put, DDB transition',
      "  S3 get+put  the emulator alone: download the same JPEG, upload the same sepia bytes (the job's S3 round trips)",
      "  DDB x3      the emulator alone: the job's get + get + conditional update",
      '  worker-emu  worker job - S3 - DDB medians: what the job costs beyond the emulator (download and upload overlap the transform)',
    ].join('\n'),
  );
  for (const r of results) {
    const verdict = r.ratios.transform <= TRANSFORM_TARGET ? 'meets' : 'MISSES';
    console.log(
      `  ${r.label.padEnd(5)}: transform ${r.ratios.transform.toFixed(2)}x bare (${verdict} target <= ${TRANSFORM_TARGET}); ` +
        `worker job ${r.ratios.worker.toFixed(2)}x, net of emulator ${r.ratios.workerNetOfEmulator.toFixed(2)}x; ` +
        `output sepia check ${r.sepiaCheck.ok ? 'ok' : 'FAILED'} (${r.iterations} iterations)`,
    );
  }
  console.log('');
}

function printRss(rss: RssResult, largest: SizeResult): void {
  const verdict = rss.pass ? 'PASS' : 'FAIL';
  console.log(
    `\nWorker memory: ${rss.images} x ${rss.megapixels} MP at concurrency ${rss.concurrency} (pixel limit ${rss.maxInputPixels}):`,
  );
  console.log(
    `  peak RSS ${ms(rss.peakRssMb)} MB (VmHWM; highest 50 ms sample ${ms(rss.sampledMaxRssMb)} MB; ${ms(rss.idleRssMb)} MB after the warm-up image)` +
      `  limit < ${rss.limitMb} MB: ${verdict}`,
  );
  const sequential = 1000 / largest.timings.bare.median;
  console.log(
    `  throughput ${rss.imagesPerSecond.toFixed(2)} images/s (${rss.processed}/${rss.images} processed in ${rss.seconds.toFixed(1)} s` +
      `${rss.jobErrors ? `, ${rss.jobErrors} job error(s)` : ''}); bare sharp one at a time in this run: ${sequential.toFixed(2)} images/s`,
  );
  console.log('');
}

async function uploadedImage(adapters: PlatformAdapters, rawS3Key: string): Promise<string> {
  const id = randomUUID();
  await adapters.table.create(newImage(id, Date.now()));
  await transitionImage(adapters.table, systemClock, id, { to: 'uploaded', rawS3Key });
  return id;
}

function chunked(buffer: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < buffer.length; offset += CHUNK_BYTES) yield buffer.subarray(offset, offset + CHUNK_BYTES);
    })(),
    { objectMode: false },
  );
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}

async function toBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function roundSummary(s: Summary): Summary {
  return { ...s, median: round1(s.median), p90: round1(s.p90), min: round1(s.min), max: round1(s.max) };
}

const ms = (v: number): string => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '-');
const kb = (bytes: number): string => String(Math.round(bytes / 1024));

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    process.exit(1);
  },
);
