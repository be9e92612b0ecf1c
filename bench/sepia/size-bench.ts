import type { PlatformAdapters } from '@imagery/aws-adapters';
import { newImage, ProcessImage, processedKeyOf, systemClock } from '@imagery/domain';
import { compareSepia, SEPIA_MATRIX, SharpImageFilter, sepiaJpegOptions } from '@imagery/image-filter';
import { round1, round2, Summary, summarize } from '@imagery/kernel/stats';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { SepiaEmulator, uploadedImage } from './emulator';
import { JPEG_QUALITY, log, ms, SizeResult, SizeSpec, Variant, VARIANTS, WARMUP } from './settings';
import { discard } from '../discard';
import { chunked, toBuffer } from './streams';

/** What one size's runs work on, set up beforehand and not timed. */
interface SizeSetUp {
  /** The raw JPEG in S3, which every `uploaded` image points at. */
  readonly rawKey: string;
  /** One `uploaded` image per worker run. */
  readonly ids: readonly string[];
  /** The sepia bytes, uploaded by the S3-only run. */
  readonly sepia: Buffer;
  readonly scratchKey: string;
  /** A finished item the DynamoDB-only run reads and updates. */
  readonly scratchId: string;
}

/** Interleaved runs of every variant on one image size. */
export async function benchSize(size: SizeSpec, jpeg: Buffer, emulator: SepiaEmulator): Promise<SizeResult> {
  const iterations = Number(process.env.BENCH_ITERATIONS) || size.iterations;
  const setUp = await setUpSize(size, jpeg, emulator.adapters, iterations);
  const runs = variantRuns(jpeg, setUp, emulator);
  const samples = await runInterleaved(size.label, runs, iterations);
  const processed = await emulator.adapters.store.get(processedKeyOf(setUp.ids[WARMUP]));
  const check = await compareSepia(jpeg, await toBuffer(processed));
  const timings = Object.fromEntries(VARIANTS.map((v) => [v, summarize(samples[v])])) as Record<Variant, Summary>;
  const bare = timings.bare.median;
  return {
    label: size.label,
    width: size.width,
    height: size.height,
    jpegBytes: jpeg.length,
    sepiaBytes: setUp.sepia.length,
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

async function setUpSize(size: SizeSpec, jpeg: Buffer, adapters: PlatformAdapters, iterations: number): Promise<SizeSetUp> {
  const { table, store } = adapters;
  const tag = size.label.replace(' ', '');
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
  return { rawKey, ids, sepia, scratchKey, scratchId };
}

/** One run of each variant on the size's image; each worker run takes the next `uploaded` image. */
function variantRuns(jpeg: Buffer, setUp: SizeSetUp, emulator: SepiaEmulator): Record<Variant, () => Promise<unknown>> {
  const { table, store } = emulator.adapters;
  const filter = new SharpImageFilter({ maxInputPixels: emulator.config.MAX_INPUT_PIXELS, jpegQuality: JPEG_QUALITY });
  const processImage = new ProcessImage(table, store, filter, systemClock);
  const ids = [...setUp.ids];
  return {
    bare: () => sharp(jpeg).recomb(SEPIA_MATRIX).jpeg(sepiaJpegOptions(JPEG_QUALITY)).toBuffer(),
    transform: () => pipeline(filter.sepia(chunked(jpeg)), discard()),
    worker: async () => {
      const id = ids.shift()!;
      const outcome = await processImage.execute(id);
      if (outcome !== 'processed') throw new Error(`ProcessImage(${id}) returned ${outcome}`);
    },
    s3: async () => {
      await pipeline(await store.get(setUp.rawKey), discard());
      await store.put(setUp.scratchKey, chunked(setUp.sepia), 'image/jpeg');
    },
    // What ProcessImage asks of DynamoDB: get, then the transition's get + conditional update.
    ddb: async () => {
      await table.get(setUp.scratchId);
      const current = (await table.get(setUp.scratchId))!;
      await table.update({ ...current, version: current.version + 1, updatedAt: Date.now() }, current.version, ['processed']);
    },
  };
}

/** ms per run of each variant, the warm-up rounds left out; progress four times along the way. */
async function runInterleaved(
  label: string,
  runs: Record<Variant, () => Promise<unknown>>,
  iterations: number,
): Promise<Record<Variant, number[]>> {
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
      log(`${label}: ${done}/${iterations}  median so far: bare ${m('bare')} ms, transform ${m('transform')} ms, worker ${m('worker')} ms`);
    }
  }
  return samples;
}

function roundSummary(s: Summary): Summary {
  return { ...s, median: round1(s.median), p90: round1(s.p90), min: round1(s.min), max: round1(s.max) };
}
