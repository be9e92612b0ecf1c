import { InvalidImageError, InvalidImageReason, StagedUpload } from '@imagery/domain';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { makeJpeg, makePixelBomb, makePng } from '@imagery/testing/platform/test-images';
import { compareSepia } from './sepia-check';
import { SharpImageFilter } from './sharp-image-filter';

/** The real sharp filter, on generated images spooled to a temp directory like the API does. */

const MAX_INPUT_PIXELS = 40_000_000;
const filter = new SharpImageFilter({ maxInputPixels: MAX_INPUT_PIXELS });

let dir: string;
let counter = 0;
/** 20000 x 20000 = 400 MP in ~50 KB: decoding it would take at least 400 MB. */
let bomb: Buffer;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sharp-image-filter-'));
  bomb = makePixelBomb();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A StagedUpload backed by a real file, as inspect() reads the path. */
function staged(bytes: Buffer | string): StagedUpload {
  const path = join(dir, `upload-${counter++}`);
  const content = Buffer.from(bytes);
  writeFileSync(path, content);
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { path, size: content.length, sha256, open: () => createReadStream(path) };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

async function inspectError(bytes: Buffer | string): Promise<InvalidImageError> {
  const err = await filter.inspect(staged(bytes)).then(
    (info) => {
      throw new Error(`inspect accepted it: ${JSON.stringify(info)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidImageError);
  return err as InvalidImageError;
}

const expectReason = async (bytes: Buffer | string, reason: InvalidImageReason) =>
  expect(await inspectError(bytes)).toMatchObject({ code: 'invalid_image', reason });

/** Share of pixels breaking R >= G >= B by more than JPEG noise. */
async function orderViolations(jpeg: Buffer): Promise<number> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  let bad = 0;
  for (let i = 0; i < data.length; i += 3) if (data[i] + 6 < data[i + 1] || data[i + 1] + 6 < data[i + 2]) bad++;
  return bad / (data.length / 3);
}

describe('SharpImageFilter.inspect', () => {
  it.each([
    ['jpeg', () => makeJpeg(320, 200)],
    ['png', () => makePng(64, 48)],
    [
      'webp',
      async () =>
        sharp(await makeJpeg(100, 80))
          .webp()
          .toBuffer(),
    ],
  ])('accepts %s and reports its format and size', async (format, make) => {
    const bytes = await make();
    const { width, height } = await sharp(bytes).metadata();
    expect(await filter.inspect(staged(bytes))).toEqual({ format, width, height });
  });

  it('accepts a PNG with an alpha channel and a greyscale JPEG', async () => {
    const rgba = await sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } } })
      .png()
      .toBuffer();
    expect(await filter.inspect(staged(rgba))).toEqual({ format: 'png', width: 20, height: 10 });
    const grey = await sharp(await makeJpeg(30, 20))
      .greyscale()
      .jpeg()
      .toBuffer();
    expect(await filter.inspect(staged(grey))).toEqual({ format: 'jpeg', width: 30, height: 20 });
  });

  it('rejects an empty file as empty', async () => {
    await expectReason(Buffer.alloc(0), 'empty');
  });

  it('rejects text as not_an_image', async () => {
    await expectReason('hello, this is definitely not an image\n'.repeat(20), 'not_an_image');
  });

  it('rejects random bytes as not_an_image', async () => {
    await expectReason(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)), 'not_an_image');
  });

  it('rejects a truncated JPEG (valid header, data cut) as undecodable', async () => {
    const jpeg = await makeJpeg(320, 200);
    await expectReason(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'undecodable');
  });

  it('rejects a truncated PNG as undecodable', async () => {
    const png = await sharp(await makeJpeg(200, 150))
      .png()
      .toBuffer();
    await expectReason(png.subarray(0, Math.floor(png.length * 0.6)), 'undecodable');
  });

  it('rejects just the JPEG signature as not_an_image or undecodable, never accepting it', async () => {
    const err = await inspectError(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]));
    expect(['not_an_image', 'undecodable']).toContain(err.reason);
  });

  it('rejects a pixel bomb as too_many_pixels, from the header: fast and without decoding it', async () => {
    expect(bomb.length).toBeLessThan(200_000);
    const upload = staged(bomb);
    const rssBefore = process.memoryUsage().rss;
    const start = Date.now();
    const err = await filter.inspect(upload).catch((e: unknown) => e);
    const ms = Date.now() - start;
    expect(err).toBeInstanceOf(InvalidImageError);
    expect(err).toMatchObject({ reason: 'too_many_pixels' });
    expect((err as Error).message).toContain('20000x20000');
    expect(ms).toBeLessThan(1_000);
    // decoding would need 400 MB at least (one byte per pixel)
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('accepts an image at exactly the pixel limit and refuses one pixel more', async () => {
    const small = new SharpImageFilter({ maxInputPixels: 100 * 50 });
    const exact = await sharp(await makeJpeg(100, 50))
      .png()
      .toBuffer();
    expect(await small.inspect(staged(exact))).toMatchObject({ width: 100, height: 50 });
    const over = await sharp(await makeJpeg(101, 50))
      .png()
      .toBuffer();
    await expect(small.inspect(staged(over))).rejects.toMatchObject({ reason: 'too_many_pixels' });
  });

  it.each([
    [
      'GIF',
      async () =>
        sharp(await makeJpeg(40, 30))
          .gif()
          .toBuffer(),
    ],
    [
      'TIFF',
      async () =>
        sharp(await makeJpeg(40, 30))
          .tiff()
          .toBuffer(),
    ],
    [
      'SVG',
      () =>
        Promise.resolve(
          Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="red"/></svg>'),
        ),
    ],
  ])('rejects %s (a real image, not an accepted format) as not_an_image', async (_, make) => {
    const bytes = await make();
    const err = await inspectError(bytes);
    expect(err.reason).toBe('not_an_image');
    expect(err.message).toMatch(/unsupported image format/);
  });
});

describe('SharpImageFilter.sepia', () => {
  it('renders a JPEG with the same dimensions, R >= G >= B, that compareSepia recognises', async () => {
    const original = await makeJpeg(320, 200);
    const out = await collect(filter.sepia(Readable.from([original])));

    expect(out.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const meta = await sharp(out).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 320, height: 200 });
    expect(await orderViolations(out)).toBeLessThan(0.01);

    const check = await compareSepia(original, out);
    expect(check).toMatchObject({ ok: true, sameAspect: true });
    expect(check.meanError).toBeLessThan(6);
  });

  it.each([
    [
      'PNG with alpha',
      () =>
        sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 30, g: 140, b: 220, alpha: 0.7 } } })
          .png()
          .toBuffer(),
    ],
    [
      'WebP',
      async () =>
        sharp(await makeJpeg(90, 60))
          .webp()
          .toBuffer(),
    ],
  ])('renders a %s as a sepia JPEG too', async (_, make) => {
    const original = await make();
    const out = await collect(filter.sepia(Readable.from([original])));
    const meta = await sharp(out).metadata();
    expect(meta.format).toBe('jpeg');
    expect(await orderViolations(out)).toBeLessThan(0.01);
  });

  it('reads the input in small chunks (a streamed download) just as well', async () => {
    const original = await makeJpeg(200, 120);
    const chunks = Array.from({ length: Math.ceil(original.length / 1000) }, (_, i) => original.subarray(i * 1000, (i + 1) * 1000));
    const out = await collect(filter.sepia(Readable.from(chunks)));
    expect((await compareSepia(original, out)).ok).toBe(true);
  });

  it('honours EXIF orientation: the rendering is upright and carries no orientation tag', async () => {
    const stored = await sharp(await makeJpeg(320, 200))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer(); // shown rotated 90°
    const out = await collect(filter.sepia(Readable.from([stored])));
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([200, 320]);
    expect(meta.orientation ?? 1).toBe(1);
    expect((await compareSepia(stored, out)).ok).toBe(true);
  });

  it.each<[string, () => Promise<Buffer> | Buffer, InvalidImageReason]>([
    ['text', () => Buffer.from('this is not an image at all\n'.repeat(50)), 'not_an_image'],
    ['a truncated JPEG', async () => (await makeJpeg(320, 200)).subarray(0, 3000), 'undecodable'],
  ])('emits InvalidImageError on the stream for %s', async (_, make, reason) => {
    const out = filter.sepia(Readable.from([await make()]));
    const err = await collect(out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidImageError);
    expect(err).toMatchObject({ reason });
  });

  it('emits too_many_pixels on the stream for a pixel bomb, fast and without decoding it', async () => {
    const rssBefore = process.memoryUsage().rss;
    const start = Date.now();
    const err = await collect(filter.sepia(Readable.from([bomb]))).catch((e: unknown) => e);
    expect(Date.now() - start).toBeLessThan(1_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
    expect(err).toBeInstanceOf(InvalidImageError);
    expect(err).toMatchObject({ reason: 'too_many_pixels' });
  });

  it('emits an InvalidImageError for an empty input', async () => {
    const err = await collect(filter.sepia(Readable.from([]))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidImageError);
  });

  it('passes an input stream error through unchanged, not as an InvalidImageError', async () => {
    const jpeg = await makeJpeg(320, 200);
    const broken = new Error('connection reset while downloading');
    async function* download() {
      yield jpeg.subarray(0, 4000);
      await new Promise((r) => setTimeout(r, 10));
      throw broken;
    }
    const err = await collect(filter.sepia(Readable.from(download()))).catch((e: unknown) => e);
    expect(err).toBe(broken);
    expect(err).not.toBeInstanceOf(InvalidImageError);
  });

  it('passes through an input error raised before any byte arrived', async () => {
    const broken = Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
    const input = new Readable({
      read() {
        this.destroy(broken);
      },
    });
    const err = await collect(filter.sepia(input)).catch((e: unknown) => e);
    expect(err).toBe(broken);
  });
});
