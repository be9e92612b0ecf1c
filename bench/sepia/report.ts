import { round1 } from '@imagery/kernel/stats';
import { repoRoot } from '@imagery/kernel/repo-root';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { SepiaEmulator } from './emulator';
import { CHUNK_BYTES, JPEG_QUALITY, log, RssResult, SizeResult, TRANSFORM_TARGET, WARMUP } from './settings';

/** .run/bench-sepia.json: the machine, the settings, every size's timings and the worker's memory. */
export function writeSepiaReport(started: number, emulator: SepiaEmulator, sizes: SizeResult[], rss: RssResult): void {
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
      maxInputPixels: emulator.config.MAX_INPUT_PIXELS,
      transformTarget: TRANSFORM_TARGET,
      baseline: 'sharp(buffer).recomb(SEPIA_MATRIX).jpeg(sepiaJpegOptions(85)).toBuffer()',
      emulator: emulator.endpoint,
    },
    sizes,
    rss,
    pass: rss.pass,
  };
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  log(`results written to ${file} (${round1((Date.now() - started) / 1000)} s in all)`);
}
