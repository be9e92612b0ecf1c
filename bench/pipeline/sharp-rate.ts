import { StagedUpload } from '@imagery/domain';
import { SharpImageFilter } from '@imagery/image-filter';
import { createReadStream } from 'node:fs';
import { cpus } from 'node:os';
import { discard } from '../discard';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import type { FixtureFile } from './emulator-rate';
import { measureCpu } from './proc-cpu';
import type { Stalls } from './stall-watch';
import { round1, round2 } from '@imagery/kernel/stats';

export interface SharpVariantRate {
  readonly images: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  /** CPU-ms per image if the machine's cores were all busy: cores × wall / images. */
  readonly coreMsPerImage: number;
  /** CPU-ms per image this process really spent (libvips' threads included): the cost, whatever else the machine ran. */
  readonly cpuMsPerImage: number;
  /** CPU this process used, percent of one core (100 × cores = every core). */
  readonly cpuPercentOfCore: number;
  /** The whole machine's busy share, everyone's. */
  readonly machineBusyPercent?: number;
  readonly stalls: Stalls;
}

export interface SharpRateResult {
  readonly cores: number;
  readonly parallelJobs: number;
  readonly libvipsThreads: number;
  /** The worker's transform alone: SharpImageFilter.sepia() from the file, drained. */
  readonly sepia: SharpVariantRate;
  /** All the sharp work one image costs the pipeline: the API's inspect (header + shrink-on-load decode) and the worker's sepia. */
  readonly pipeline: SharpVariantRate;
  readonly ceilingImagesPerSecond: number;
}

/**
 * sharp's images/s on all cores for the workload's fixture mix (each fixture in turn, as the
 * workload picks them uniformly): `parallelJobs` loops at once, each with libvips' own thread pool,
 * through the platform's SharpImageFilter — the same code, options and pixel limit as the apps.
 */
export async function measureSharpRate(options: {
  readonly fixtures: readonly FixtureFile[];
  readonly seconds: number;
  readonly maxInputPixels: number;
  readonly log: (line: string) => void;
}): Promise<SharpRateResult> {
  const cores = cpus().length;
  const parallelJobs = cores * 2;
  const filter = new SharpImageFilter({ maxInputPixels: options.maxInputPixels });
  const staged = (f: FixtureFile): StagedUpload => ({
    path: f.path,
    size: f.bytes,
    sha256: f.sha256,
    open: () => createReadStream(f.path),
  });
  const sepia = (f: FixtureFile) => pipeline(filter.sepia(createReadStream(f.path)), discard());
  const both = async (f: FixtureFile) => {
    await filter.inspect(staged(f));
    await sepia(f);
  };
  for (const f of options.fixtures) await both(f); // warm-up: libvips loaded, caches settled

  const run = (work: (f: FixtureFile) => Promise<unknown>) => measureRate(work, options.fixtures, options.seconds, parallelJobs);
  const sepiaRate = await run(sepia);
  options.log(
    `sharp: sepia alone ${sepiaRate.imagesPerSecond} images/s on ${cores} cores (${parallelJobs} jobs at once; ` +
      `CPU ${sepiaRate.cpuPercentOfCore}% of a core, machine ${sepiaRate.machineBusyPercent ?? '?'}% busy)`,
  );
  const pipelineRate = await run(both);
  options.log(
    `sharp: inspect + sepia ${pipelineRate.imagesPerSecond} images/s ` +
      `(CPU ${pipelineRate.cpuPercentOfCore}% of a core, machine ${pipelineRate.machineBusyPercent ?? '?'}% busy)`,
  );
  return {
    cores,
    parallelJobs,
    libvipsThreads: sharp.concurrency(),
    sepia: sepiaRate,
    pipeline: pipelineRate,
    ceilingImagesPerSecond: pipelineRate.imagesPerSecond,
  };
}

/** `parallelJobs` loops of `work` over the fixtures in turn for `seconds`: images/s and the CPU they took. */
async function measureRate(
  work: (f: FixtureFile) => Promise<unknown>,
  fixtures: readonly FixtureFile[],
  seconds: number,
  parallelJobs: number,
): Promise<SharpVariantRate> {
  const cores = cpus().length;
  const cpu = measureCpu();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  let images = 0;
  await Promise.all(
    Array.from({ length: parallelJobs }, async (_, k) => {
      for (let i = k; performance.now() < deadline; i += parallelJobs) {
        await work(fixtures[i % fixtures.length]);
        images++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const usage = cpu.stop();
  return {
    images,
    seconds: round2(elapsed),
    imagesPerSecond: round2(images / elapsed),
    coreMsPerImage: round1((cores * elapsed * 1000) / images),
    cpuMsPerImage: round1((usage.seconds.bench * 1000) / images),
    cpuPercentOfCore: usage.percentOfCore.bench,
    ...(usage.machineBusyPercent !== undefined ? { machineBusyPercent: usage.machineBusyPercent } : {}),
    stalls: usage.stalls,
  };
}
