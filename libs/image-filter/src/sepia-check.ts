import sharp from 'sharp';
import { SEPIA_MATRIX } from './sepia-matrix';

export interface SepiaComparison {
  /** Mean absolute difference (0-255) between the rendering and the sepia of the original. */
  readonly meanError: number;
  /** Share of sampled pixels breaking the sepia order R >= G >= B (beyond JPEG noise). */
  readonly orderViolations: number;
  readonly sameAspect: boolean;
  readonly ok: boolean;
}

const SAMPLE = 32;
/** Tests pin it: a quality-40 re-encode of a rendering stays under it, an 80 % centre crop (~8) does not. */
const MAX_MEAN_ERROR = 6;

async function sample(image: Buffer | string): Promise<Buffer> {
  return sharp(image).rotate().removeAlpha().toColourspace('srgb').resize(SAMPLE, SAMPLE, { fit: 'fill' }).raw().toBuffer();
}

/**
 * Is `processed` a sepia rendering of `original`? Compares, on a small sample, each pixel with
 * the sepia matrix applied to the original's pixel, and checks the R >= G >= B relationship the
 * matrix guarantees. Tolerances absorb JPEG re-encoding, not a different image or no filter.
 */
export async function compareSepia(original: Buffer | string, processed: Buffer | string): Promise<SepiaComparison> {
  const [a, b, ma, mb] = await Promise.all([sample(original), sample(processed), sharp(original).metadata(), sharp(processed).metadata()]);
  let error = 0;
  let violations = 0;
  const pixels = SAMPLE * SAMPLE;
  for (let p = 0; p < pixels; p++) {
    const [r, g, bl] = [a[p * 3], a[p * 3 + 1], a[p * 3 + 2]];
    const expected = SEPIA_MATRIX.map(([kr, kg, kb]) => Math.min(255, kr * r + kg * g + kb * bl));
    const got = [b[p * 3], b[p * 3 + 1], b[p * 3 + 2]];
    error += expected.reduce((sum, e, c) => sum + Math.abs(e - got[c]), 0) / 3;
    if (got[0] + 6 < got[1] || got[1] + 6 < got[2]) violations++;
  }
  const orient = (m: sharp.Metadata) => ((m.orientation ?? 1) >= 5 ? [m.height, m.width] : [m.width, m.height]);
  const [wa, ha] = orient(ma);
  const [wb, hb] = orient(mb);
  const sameAspect = !!(wa && ha && wb && hb) && Math.abs(wa / ha - wb / hb) < 0.02;
  const meanError = error / pixels;
  const orderViolations = violations / pixels;
  return { meanError, orderViolations, sameAspect, ok: sameAspect && meanError < MAX_MEAN_ERROR && orderViolations < 0.02 };
}
