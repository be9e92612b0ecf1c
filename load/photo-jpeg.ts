import sharp from 'sharp';
import { seededRandom } from '@imagery/kernel/seeded-random';

export interface PhotoJpegOptions {
  readonly seed?: number;
  readonly quality?: number;
}

/**
 * A photo-like JPEG: smooth colour fields (sky, walls), a mid-frequency texture (foliage, fabric),
 * hard-edged shapes, and per-pixel sensor noise. Synthetic gradients alone compress to a fraction of
 * a real photo's size and make decoding unrealistically cheap; with this mix a 12 MP image at
 * quality 85 weighs a few MB, like a camera's.
 */
export async function makePhotoJpeg(width: number, height: number, options: PhotoJpegOptions = {}): Promise<Buffer> {
  const random = seededRandom(options.seed ?? 1);
  const channels = 3;
  // Low-frequency scene: a coarse grid of muted colours, upscaled smoothly, over a light-to-dark vertical gradient.
  const scene = await upscaled(randomPixels(8, 6, channels, random, 50, 200), width, height, 'cubic');
  // Textures at two scales (blobs ~4 and ~16 pixels wide): foliage, fabric, gravel.
  const fine = await upscaled(randomPixels(Math.ceil(width / 4), Math.ceil(height / 4), 1, random, 0, 255), width, height, 'cubic');
  const coarse = await upscaled(randomPixels(Math.ceil(width / 16), Math.ceil(height / 16), 1, random, 0, 255), width, height, 'cubic');
  // Hard edges: a mid-size grid upscaled with nearest neighbour (blocks and steps, like buildings).
  const shapes = await upscaled(randomPixels(40, 30, 1, random, 0, 255), width, height, 'nearest');
  // Sensor noise: a table of normal deviates (sigma 8), read at random offsets - much cheaper than a draw per sample.
  const noise = new Float32Array(1 << 16);
  for (let i = 0; i < noise.length; i++) noise[i] = normal(random) * 8;

  const pixels = Buffer.alloc(width * height * channels);
  for (let y = 0, p = 0, i = 0; y < height; y++) {
    const light = 30 - (60 * y) / height;
    let n = Math.floor(random() * noise.length);
    for (let x = 0; x < width; x++, p++, i += channels) {
      const t = (fine[p] - 128) * 0.35 + (coarse[p] - 128) * 0.3;
      const s = shapes[p] > 215 ? 35 : shapes[p] < 40 ? -30 : 0;
      const base = light + t + s;
      pixels[i] = clamp(scene[i] + base + noise[n++ & 0xffff]);
      pixels[i + 1] = clamp(scene[i + 1] + base + noise[n++ & 0xffff]);
      pixels[i + 2] = clamp(scene[i + 2] + base + noise[n++ & 0xffff]);
    }
  }
  return sharp(pixels, { raw: { width, height, channels } })
    .jpeg({ quality: options.quality ?? 85 })
    .toBuffer();
}

/** One pixel-count label per size, e.g. "12 MP". */
export const megapixels = (width: number, height: number): string => `${Math.round((width * height) / 1e6)} MP`;

function randomPixels(width: number, height: number, channels: 1 | 3, random: () => number, lo: number, hi: number) {
  const data = Buffer.alloc(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = lo + Math.floor(random() * (hi - lo));
  return { data, width, height, channels };
}

async function upscaled(
  src: { data: Buffer; width: number; height: number; channels: 1 | 3 },
  width: number,
  height: number,
  kernel: 'cubic' | 'nearest',
): Promise<Buffer> {
  const resized = sharp(src.data, { raw: { width: src.width, height: src.height, channels: src.channels } }).resize(width, height, {
    fit: 'fill',
    kernel,
  });
  // sharp writes sRGB (3 channels) unless told otherwise: keep one-channel layers one channel.
  return (src.channels === 1 ? resized.extractChannel(0) : resized).raw().toBuffer();
}

/** Box-Muller: one standard normal deviate. */
const normal = (random: () => number): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

const clamp = (v: number): number => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));
