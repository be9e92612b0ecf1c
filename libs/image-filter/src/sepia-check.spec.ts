import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { makeJpeg } from '@imagery/testing/platform/test-images';
import { compareSepia } from './sepia-check';
import { SEPIA_MATRIX } from './sepia-matrix';
import { SharpImageFilter } from './sharp-image-filter';

/** compareSepia must recognise a real sepia rendering of the original, and nothing else. */
describe('compareSepia', () => {
  const filter = new SharpImageFilter({ maxInputPixels: 40_000_000 });
  const W = 320;
  const H = 200;
  let original: Buffer;
  let rendering: Buffer;

  const sepiaOf = async (image: Buffer): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const c of filter.sepia(Readable.from([image])) as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(c));
    return Buffer.concat(chunks);
  };

  beforeAll(async () => {
    original = await makeJpeg(W, H, { seed: 7 });
    rendering = await sepiaOf(original);
  });

  it('accepts the filter rendering of the original', async () => {
    const result = await compareSepia(original, rendering);
    expect(result).toMatchObject({ ok: true, sameAspect: true });
    expect(result.meanError).toBeLessThan(6);
    expect(result.orderViolations).toBeLessThan(0.01);
  });

  it('accepts a rendering re-encoded at low JPEG quality (tolerates compression, not content changes)', async () => {
    const lossy = await sharp(rendering).jpeg({ quality: 40 }).toBuffer();
    expect((await compareSepia(original, lossy)).ok).toBe(true);
  });

  it('accepts a resized rendering of the same aspect', async () => {
    const smaller = await sharp(rendering).resize(160, 100).jpeg().toBuffer();
    expect((await compareSepia(original, smaller)).ok).toBe(true);
  });

  it('accepts file paths as well as buffers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sepia-check-'));
    try {
      const a = join(dir, 'original.jpg');
      const b = join(dir, 'processed.jpg');
      writeFileSync(a, original);
      writeFileSync(b, rendering);
      expect((await compareSepia(a, b)).ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses the original itself (no filter applied)', async () => {
    const result = await compareSepia(original, original);
    expect(result.ok).toBe(false);
    expect(result.orderViolations).toBeGreaterThan(0.1); // the gradient has plenty of B > G > R
  });

  it('refuses a greyscale rendering (ordered channels, wrong tones)', async () => {
    const grey = await sharp(original).greyscale().toColourspace('srgb').jpeg().toBuffer();
    const result = await compareSepia(original, grey);
    expect(result.ok).toBe(false);
    expect(result.meanError).toBeGreaterThanOrEqual(12);
  });

  it('refuses a sepia rendering of a different image of the same size', async () => {
    const other = await sharp({ create: { width: W, height: H, channels: 3, background: { r: 40, g: 200, b: 90 } } })
      .jpeg()
      .toBuffer();
    const result = await compareSepia(original, await sepiaOf(other));
    expect(result.sameAspect).toBe(true);
    expect(result.ok).toBe(false);
  });

  it('refuses a sepia rendering of the mirrored image (same colours, different picture)', async () => {
    const mirrored = await sharp(original).flop().jpeg().toBuffer();
    expect((await compareSepia(original, await sepiaOf(mirrored))).ok).toBe(false);
  });

  it('refuses a rendering rotated by 90° (aspect changes)', async () => {
    const rotated = await sharp(rendering).rotate(90).jpeg().toBuffer();
    const result = await compareSepia(original, rotated);
    expect(result.sameAspect).toBe(false);
    expect(result.ok).toBe(false);
  });

  it('refuses a rendering rotated by 180° (same aspect, pixels elsewhere)', async () => {
    const rotated = await sharp(rendering).rotate(180).jpeg().toBuffer();
    const result = await compareSepia(original, rotated);
    expect(result.sameAspect).toBe(true);
    expect(result.ok).toBe(false);
  });

  it('refuses a cropped rendering, whether the crop keeps the aspect or not', async () => {
    const sameAspect = await sharp(rendering)
      .extract({ left: 0, top: 0, width: W / 2, height: H / 2 })
      .jpeg()
      .toBuffer();
    const sameAspectResult = await compareSepia(original, sameAspect);
    expect(sameAspectResult.sameAspect).toBe(true);
    expect(sameAspectResult.ok).toBe(false);

    const square = await sharp(rendering).extract({ left: 60, top: 0, width: H, height: H }).jpeg().toBuffer();
    expect((await compareSepia(original, square)).ok).toBe(false);

    const centre = await sharp(rendering)
      .extract({ left: W * 0.2, top: H * 0.2, width: W * 0.6, height: H * 0.6 })
      .jpeg()
      .toBuffer();
    expect((await compareSepia(original, centre)).ok).toBe(false);
  });

  // Known weakness (reported): on a smooth image a centre crop that keeps 80% of each side
  // (64% of the picture) scores meanError ~8 on the 32x32 sample, under the tolerance of 12, so it
  // passes as "a sepia rendering of the original". it.failing turns green the day that is fixed.
  it('refuses a centre crop keeping 80% of each side', async () => {
    const centre = await sharp(rendering)
      .extract({ left: W * 0.1, top: H * 0.1, width: W * 0.8, height: H * 0.8 })
      .jpeg()
      .toBuffer();
    expect((await compareSepia(original, centre)).ok).toBe(false);
  });

  it('agrees with the sepia matrix computed by hand on a flat colour', async () => {
    const [r, g, b] = [120, 80, 40];
    const flat = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r, g, b } } })
      .png()
      .toBuffer();
    const expected = SEPIA_MATRIX.map(([kr, kg, kb]) => Math.min(255, Math.round(kr * r + kg * g + kb * b)));
    const byHand = await sharp({
      create: { width: 16, height: 16, channels: 3, background: { r: expected[0], g: expected[1], b: expected[2] } },
    })
      .png()
      .toBuffer();
    expect((await compareSepia(flat, byHand)).ok).toBe(true);
    expect((await compareSepia(flat, await sepiaOf(flat))).ok).toBe(true);
    // off by a clearly visible tint: refused
    const tinted = await sharp({
      create: { width: 16, height: 16, channels: 3, background: { r: expected[0], g: Math.max(0, expected[1] - 40), b: expected[2] } },
    })
      .png()
      .toBuffer();
    expect((await compareSepia(flat, tinted)).ok).toBe(false);
  });
});
