import { CreateImage, ImageFilter, parseImageMessage, ProcessImage, StagedUpload, systemClock, UploadImage } from '@imagery/domain';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SqsImageQueue } from '@imagery/aws-adapters';
import { DirectAws } from './direct-aws';
import { CpuUsage, measureCpu } from './proc-cpu';
import { withScratchQueue } from './scratch-queue';
import { percentile, round1, round2 } from '@imagery/kernel/stats';

export interface FixtureFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly width: number;
  readonly height: number;
}

export interface EmulatorLevel {
  readonly concurrency: number;
  readonly seconds: number;
  readonly images: number;
  readonly ops: number;
  readonly opsPerSecond: number;
  readonly imagesPerSecond: number;
  /** ReceiveMessage calls that came back empty (a concurrent loop took the message first). */
  readonly emptyReceives: number;
  /** Messages received again after a loop had processed their image: SQS delivers at least once. */
  readonly duplicateDeliveries: number;
  /** moto's CPU over the level, percent of one core (one Python process: its GIL caps it near 100). */
  readonly emulatorCpuPercent: number;
  /** This process (the SDK clients playing API and worker), percent of one core. */
  readonly clientCpuPercent: number;
  /** The whole machine's busy share, everyone's: what was left for moto. */
  readonly machineBusyPercent?: number;
  readonly cpu: CpuUsage;
}

export interface EmulatorRateResult {
  /** Requests per image as the clients sent them over all levels, the receives that came back empty left out. */
  readonly opsPerImage: number;
  readonly levels: readonly EmulatorLevel[];
  readonly best: EmulatorLevel;
  /** Per operation over all levels: count and latency (ms). */
  readonly operations: ReadonlyArray<{ readonly operation: string; readonly n: number; readonly p50: number; readonly p90: number }>;
  /** The emulator's raw op rate (best level) / the counted ops per image. */
  readonly ceilingImagesPerSecond: number;
}

/** One image through the pipeline's use cases on the emulator, sharp left out; counts empty receives and duplicate deliveries. */
interface EmulatorPipeline {
  oneImage(fixture: FixtureFile): Promise<void>;
  readonly emptyReceives: number;
  readonly duplicateDeliveries: number;
}

/**
 * The emulator's raw operation rate for the pipeline's own mix of operations and object sizes:
 * N concurrent loops run the real use cases (CreateImage, UploadImage, then the worker's receive →
 * ProcessImage → delete) on the real adapters straight against moto, with sharp replaced by a
 * pass-through (the inspect returns the fixture's known size; the "sepia" output is the input's
 * bytes), on the platform's table and bucket and on a queue of its own (so the fleet's workers do
 * not take its messages). Each level runs `seconds`; every HTTP request the SDK makes is an op.
 */
export async function measureEmulatorRate(options: {
  readonly aws: DirectAws;
  readonly fixtures: readonly FixtureFile[];
  readonly levels: readonly number[];
  readonly seconds: number;
  readonly log: (line: string) => void;
}): Promise<EmulatorRateResult> {
  const { aws, fixtures } = options;
  return withScratchQueue(aws, 'ops', async (queue) => {
    const pipeline = emulatorPipeline(aws, queue, fixtures);
    await pipeline.oneImage(fixtures[0]); // warm: connections open, moto's code paths loaded
    aws.ops.reset();
    const levels: EmulatorLevel[] = [];
    for (const concurrency of options.levels) {
      const level = await measureLevel(aws, pipeline, fixtures, concurrency, options.seconds);
      levels.push(level);
      const duplicates = level.duplicateDeliveries ? `, ${level.duplicateDeliveries} duplicate deliveries` : '';
      options.log(
        `emulator: ${concurrency} concurrent loops: ${level.opsPerSecond} ops/s (${level.imagesPerSecond} images/s, ` +
          `${level.ops} ops in ${level.seconds} s${duplicates}; CPU: moto ${level.emulatorCpuPercent}% of a core, ` +
          `client ${level.clientCpuPercent}%, machine ${level.machineBusyPercent ?? '?'}% busy)`,
      );
    }
    const best = levels.reduce((a, b) => (b.opsPerSecond > a.opsPerSecond ? b : a));
    const operations = operationLatencies(aws);
    const opsPerImage = countedOpsPerImage(levels);
    return { opsPerImage, levels, best, operations, ceilingImagesPerSecond: round2(best.opsPerSecond / opsPerImage) };
  });
}

function emulatorPipeline(aws: DirectAws, queue: SqsImageQueue, fixtures: readonly FixtureFile[]): EmulatorPipeline {
  const filter: ImageFilter = {
    inspect: (upload) =>
      new Promise((resolve) => {
        const f = fixtures.find((x) => x.path === upload.path)!;
        resolve({ format: 'jpeg', width: f.width, height: f.height });
      }),
    sepia: (input: Readable) => input.pipe(new PassThrough()),
  };
  const createImage = new CreateImage(aws.table, systemClock);
  const uploadImage = new UploadImage(aws.table, aws.store, queue, filter, systemClock);
  const processImage = new ProcessImage(aws.table, aws.store, filter, systemClock);
  let emptyReceives = 0;
  let duplicateDeliveries = 0;
  /**
   * The worker's side: one message (this image's or a concurrent loop's), processed, deleted. A copy of
   * a message whose image is done already is deleted, as the worker does, and the loop receives again:
   * SQS delivers at least once, and moto's receive can hand one message to two concurrent receivers.
   */
  const processOne = async (): Promise<void> => {
    const giveUpAt = performance.now() + 30_000;
    for (;;) {
      const [message] = await queue.receive(1, 0, undefined, 30);
      if (!message) {
        if (performance.now() > giveUpAt) throw new Error('no message to receive for 30 s on the bench queue');
        emptyReceives++;
        await sleep(2);
        continue;
      }
      const outcome = await processImage.execute(parseImageMessage(message.body).imageId);
      if (outcome !== 'processed' && outcome !== 'already-done') throw new Error(`ProcessImage returned ${outcome}`);
      await queue.delete(message.receiptHandle);
      if (outcome === 'processed') return;
      duplicateDeliveries++;
    }
  };
  return {
    oneImage: async (fixture) => {
      const id = randomUUID();
      await createImage.execute(id);
      const staged: StagedUpload = {
        path: fixture.path,
        size: fixture.bytes,
        sha256: fixture.sha256,
        open: () => createReadStream(fixture.path),
      };
      const uploaded = await uploadImage.execute(id, staged);
      if (!uploaded.enqueued) throw new Error(`SendMessage failed: ${String(uploaded.enqueueError)}`);
      await processOne();
    },
    get emptyReceives() {
      return emptyReceives;
    },
    get duplicateDeliveries() {
      return duplicateDeliveries;
    },
  };
}

/** `concurrency` loops of whole images for `seconds`: the ops the emulator served, and the CPU it took. */
async function measureLevel(
  aws: DirectAws,
  pipeline: EmulatorPipeline,
  fixtures: readonly FixtureFile[],
  concurrency: number,
  seconds: number,
): Promise<EmulatorLevel> {
  const before = aws.ops.count();
  const receivesBefore = pipeline.emptyReceives;
  const duplicatesBefore = pipeline.duplicateDeliveries;
  const cpu = measureCpu();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  let images = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, k) => {
      for (let i = k; performance.now() < deadline; i += concurrency) {
        await pipeline.oneImage(fixtures[i % fixtures.length]);
        images++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const usage = cpu.stop();
  const ops = aws.ops.count() - before;
  return {
    concurrency,
    seconds: round2(elapsed),
    images,
    ops,
    opsPerSecond: round1(ops / elapsed),
    imagesPerSecond: round2(images / elapsed),
    emptyReceives: pipeline.emptyReceives - receivesBefore,
    duplicateDeliveries: pipeline.duplicateDeliveries - duplicatesBefore,
    emulatorCpuPercent: usage.percentOfCore.moto,
    clientCpuPercent: usage.percentOfCore.bench,
    ...(usage.machineBusyPercent !== undefined ? { machineBusyPercent: usage.machineBusyPercent } : {}),
    cpu: usage,
  };
}

/**
 * What one image cost in requests, counted (so it follows the code as calls are cut): every request
 * the levels sent, less the receives a concurrent loop left empty, over the images completed.
 */
export function countedOpsPerImage(levels: ReadonlyArray<Pick<EmulatorLevel, 'ops' | 'emptyReceives' | 'images'>>): number {
  const images = levels.reduce((n, l) => n + l.images, 0);
  if (images === 0) throw new Error('no image went through the emulator: no ops per image to count');
  return round2(levels.reduce((n, l) => n + l.ops - l.emptyReceives, 0) / images);
}

/** Count and p50/p90 latency of every operation the clients sent, most frequent first. */
function operationLatencies(aws: DirectAws): EmulatorRateResult['operations'] {
  return [...aws.ops.byOperation.entries()]
    .map(([operation, samples]) => {
      const sorted = [...samples].sort((a, b) => a - b);
      return { operation, n: sorted.length, p50: round1(percentile(sorted, 50)), p90: round1(percentile(sorted, 90)) };
    })
    .sort((a, b) => b.n - a.n);
}
