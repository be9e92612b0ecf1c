import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { BadInputKind } from '@imagery/history/history-entry';
import { seededRandom } from '@imagery/kernel/seeded-random';

/**
 * The workload's files: what the journeys upload (load/imagery.ts; read once by load/fixture-set.ts).
 * Seeded: the same seed and options give byte-identical files (with the same sharp/libjpeg build),
 * so a run's choices can be reproduced. Everything is listed in manifest.json with its SHA-256,
 * which is also how the API names the raw object (upload/<id>/<sha256>).
 */

export const MANIFEST_FILE = 'manifest.json';

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

/** A good upload: a realistic JPEG. */
export interface ImageFixture {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly contentType: 'image/jpeg';
  readonly width: number;
  readonly height: number;
}

/** A deliberately bad upload and the 4xx the API must answer it with. (`bad-id` needs no file.) */
export interface BadFixture {
  readonly kind: Exclude<BadInputKind, 'bad-id'>;
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  /** What the client claims; the API sniffs the bytes and never trusts it. */
  readonly contentType: string;
  readonly expectStatus: number;
}

export interface FixtureManifest {
  readonly version: 1;
  readonly seed: number;
  /** The API's MAX_UPLOAD_BYTES these fixtures were made for: too-large is this + 1 bytes. */
  readonly maxUploadBytes: number;
  readonly images: readonly ImageFixture[];
  readonly bad: readonly BadFixture[];
}

export interface FixtureOptions {
  readonly seed?: number;
  /** The API's upload limit (MAX_UPLOAD_BYTES); the too-large file is one byte over it. Default 20 MiB, the API's default. */
  readonly maxUploadBytes?: number;
  /** The good JPEGs; default about 0.3, 0.8, 1 and 2 megapixels (well under 1 MB in all). */
  readonly sizes?: readonly ImageSize[];
  readonly quality?: number;
}

export const DEFAULT_SIZES: readonly ImageSize[] = [
  { width: 640, height: 480 },
  { width: 800, height: 1000 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** Writes the fixtures into `dir` (created if missing) and returns the manifest it also wrote there. */
export async function generateFixtures(dir: string, options: FixtureOptions = {}): Promise<FixtureManifest> {
  const seed = options.seed ?? 1;
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const sizes = options.sizes ?? DEFAULT_SIZES;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(maxUploadBytes) || maxUploadBytes <= 0)
    throw new Error(`maxUploadBytes must be a positive integer, got ${maxUploadBytes}`);
  if (sizes.length === 0) throw new Error('at least one image size is needed');
  await mkdir(dir, { recursive: true });

  const write = async (file: string, bytes: Buffer) => {
    await writeFile(join(dir, file), bytes);
    return { file, bytes: bytes.length, sha256: sha256Hex(bytes) };
  };

  const jpegs: Buffer[] = [];
  const images: ImageFixture[] = [];
  for (const [index, { width, height }] of sizes.entries()) {
    const jpeg = await makeSceneJpeg(width, height, mix(seed, index + 1), options.quality ?? 82);
    jpegs.push(jpeg);
    images.push({ ...(await write(`photo-${index + 1}-${width}x${height}.jpg`, jpeg)), contentType: 'image/jpeg', width, height });
  }
  const largest = jpegs.reduce((a, b) => (b.length > a.length ? b : a));
  const smallest = jpegs.reduce((a, b) => (b.length < a.length ? b : a));

  const text = Buffer.from(
    Array.from({ length: 40 }, (_, i) => `line ${i}: this is a plain text file, not an image (seed ${seed})\n`).join(''),
  );
  // a JPEG cut short: the header is fine, the entropy-coded data stops in the middle
  const truncated = largest.subarray(0, Math.floor(largest.length * 0.6));
  // a valid JPEG padded after its end marker to exactly one byte over the limit: only its size is wrong
  const tooLarge = Buffer.alloc(maxUploadBytes + 1);
  smallest.copy(tooLarge, 0, 0, Math.min(smallest.length, tooLarge.length));

  const bad: BadFixture[] = [
    { kind: 'not-an-image', ...(await write('not-an-image.txt', text)), contentType: 'image/jpeg', expectStatus: 415 },
    { kind: 'truncated', ...(await write('truncated.jpg', truncated)), contentType: 'image/jpeg', expectStatus: 422 },
    { kind: 'too-large', ...(await write('too-large.jpg', tooLarge)), contentType: 'image/jpeg', expectStatus: 413 },
  ];

  const manifest: FixtureManifest = { version: 1, seed, maxUploadBytes, images, bad };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * A JPEG that compresses like a photo rather than like noise or a flat fill: a sky gradient,
 * rolling hills on a seeded horizon, a few soft discs, and mild sensor noise.
 */
export async function makeSceneJpeg(width: number, height: number, seed: number, quality = 82): Promise<Buffer> {
  const random = seededRandom(seed);
  const channels = 3;
  const pixels = Buffer.alloc(width * height * channels);
  const sky = [randomIn(random, 40, 90), randomIn(random, 90, 150), randomIn(random, 170, 235)];
  const ground = [randomIn(random, 50, 120), randomIn(random, 90, 160), randomIn(random, 30, 80)];
  const waves = Array.from({ length: 3 }, () => ({
    amp: randomIn(random, 0.02, 0.08) * height,
    freq: randomIn(random, 1, 6),
    phase: randomIn(random, 0, Math.PI * 2),
  }));
  const horizon0 = randomIn(random, 0.45, 0.7) * height;
  const discs = Array.from({ length: 4 }, () => {
    const x = random() * width;
    const y = random() * height;
    const r = randomIn(random, 0.04, 0.15) * Math.min(width, height);
    return { x, y, r, r2: r * r, color: [randomIn(random, 0, 255), randomIn(random, 0, 255), randomIn(random, 0, 255)] };
  });
  const horizon = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    horizon[x] = horizon0 + waves.reduce((sum, w) => sum + w.amp * Math.sin((w.freq * 2 * Math.PI * x) / width + w.phase), 0);
  }
  // (hot loop: no global lookups — under jest's vm sandbox every `Math.` costs ~20x)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const below = y > horizon[x];
      const t = below ? (y - horizon[x]) / max(1, height - horizon[x]) : min(1, y / horizon0);
      let r = below ? ground[0] * (1 - 0.5 * t) : sky[0] + (255 - sky[0]) * 0.6 * t;
      let g = below ? ground[1] * (1 - 0.5 * t) : sky[1] + (255 - sky[1]) * 0.6 * t;
      let b = below ? ground[2] * (1 - 0.5 * t) : sky[2] + (255 - sky[2]) * 0.4 * t;
      for (const d of discs) {
        const dx = x - d.x;
        const dy = y - d.y;
        if (dx * dx + dy * dy < d.r2) {
          const a = min(1, (d.r - sqrt(dx * dx + dy * dy)) / (d.r * 0.2)); // soft edge
          r += (d.color[0] - r) * a;
          g += (d.color[1] - g) * a;
          b += (d.color[2] - b) * a;
        }
      }
      const n = (random() - 0.5) * 12;
      pixels[i] = clamp(r + n);
      pixels[i + 1] = clamp(g + n);
      pixels[i + 2] = clamp(b + n);
    }
  }
  return sharp(pixels, { raw: { width, height, channels } }).jpeg({ quality }).toBuffer();
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Mixes two integers into a well-spread 32-bit seed. */
export function mix(a: number, b: number): number {
  let h = Math.imul((a >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b >>> 0, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

const randomIn = (random: () => number, min: number, max: number) => min + (max - min) * random();
const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : (v + 0.5) | 0);
const { min, max, sqrt } = Math;

/** CLI: node dist/load/fixtures.js --out DIR [--seed N] [--max-upload-bytes N] */
async function main(argv: readonly string[]): Promise<void> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split('=', 2);
    if (!key.startsWith('--')) throw new Error(`unexpected argument ${argv[i]}`);
    args.set(key.slice(2), inline ?? argv[++i] ?? '');
  }
  const known = new Set(['out', 'seed', 'max-upload-bytes']);
  for (const key of args.keys()) if (!known.has(key)) throw new Error(`unknown option --${key} (known: --out, --seed, --max-upload-bytes)`);
  const out = args.get('out');
  if (!out) throw new Error('usage: fixtures --out DIR [--seed N] [--max-upload-bytes N]');
  const int = (name: string) => (args.has(name) ? Number(args.get(name)) : undefined);
  const manifest = await generateFixtures(resolve(out), { seed: int('seed'), maxUploadBytes: int('max-upload-bytes') });
  const total = [...manifest.images, ...manifest.bad].reduce((sum, f) => sum + f.bytes, 0);
  console.log(
    `${manifest.images.length} images + ${manifest.bad.length} bad files (${(total / 1e6).toFixed(1)} MB) in ${resolve(out)}; ` +
      `manifest: ${join(resolve(out), MANIFEST_FILE)}`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(2);
  });
}
