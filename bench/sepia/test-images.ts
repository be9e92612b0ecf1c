import { makePhotoJpeg } from '../../load/photo-jpeg';
import { JPEG_QUALITY, kb, log, ms, SIZES } from './settings';

/** One photo-like JPEG per size, by label. */
export async function makeTestImages(): Promise<Map<string, Buffer>> {
  const images = new Map<string, Buffer>();
  for (const size of SIZES) {
    const t = performance.now();
    const jpeg = await makePhotoJpeg(size.width, size.height, { seed: size.width, quality: JPEG_QUALITY });
    images.set(size.label, jpeg);
    log(`generated ${size.label} JPEG ${size.width}x${size.height}: ${kb(jpeg.length)} KB in ${ms(performance.now() - t)} ms`);
  }
  return images;
}
