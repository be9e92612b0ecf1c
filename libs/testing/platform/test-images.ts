import sharp from 'sharp';
import { crc32, deflateSync } from 'node:zlib';

/** A JPEG with structure (gradients and noise), so that compression and filters have something to do. */
export async function makeJpeg(width: number, height: number, options: { quality?: number; seed?: number } = {}): Promise<Buffer> {
  const channels = 3;
  const pixels = Buffer.alloc(width * height * channels);
  let state = (options.seed ?? 1) >>> 0 || 1;
  const noise = () => ((state = (state * 1664525 + 1013904223) >>> 0) >>> 24) - 128;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      pixels[i] = clamp((255 * x) / width + noise() / 8);
      pixels[i + 1] = clamp((255 * y) / height + noise() / 8);
      pixels[i + 2] = clamp(255 - (255 * x) / width + noise() / 8);
    }
  }
  return sharp(pixels, { raw: { width, height, channels } })
    .jpeg({ quality: options.quality ?? 85 })
    .toBuffer();
}

export const makePng = (width: number, height: number): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 4, background: { r: 200, g: 60, b: 20, alpha: 1 } } })
    .png()
    .toBuffer();

/**
 * A decompression bomb: a valid 1-bit greyscale PNG of side x side pixels (400 MP by default)
 * that compresses to a few tens of KB; decoding it in full would need gigabytes.
 */
export function makePixelBomb(side = 20_000): Buffer {
  const row = Buffer.alloc(1 + Math.ceil(side / 8)); // filter byte + packed 1-bit pixels, all zero
  const raw = Buffer.concat(Array.from({ length: side }, () => row));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

/** The content hash the API names raw objects by (the workload's own helper). */
export { sha256Of } from '../domain/staged-upload';
