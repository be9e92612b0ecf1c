import { compareSepia } from '@imagery/image-filter';

/** Is `processed` a sepia rendering of `raw`? `why` says what is wrong when it is not. */
export type SepiaComparer = (raw: Buffer, processed: Buffer) => Promise<{ readonly ok: boolean; readonly why?: string }>;

/**
 * The real comparison (libs/image-filter's compareSepia: pixel by pixel against the sepia matrix,
 * and R >= G >= B). Bytes that do not decode are not a rendering.
 */
export const sharpSepiaComparer: SepiaComparer = async (raw, processed) => {
  let c;
  try {
    c = await compareSepia(raw, processed);
  } catch (err) {
    return { ok: false, why: `not a decodable image (${(err as Error).message})` };
  }
  if (c.ok) return { ok: true };
  const why = [
    ...(c.sameAspect ? [] : ['a different aspect ratio']),
    `mean error ${c.meanError.toFixed(1)}`,
    `${(c.orderViolations * 100).toFixed(1)}% of pixels break R >= G >= B`,
  ];
  return { ok: false, why: why.join(', ') };
};
