import { decodeErrorOf } from './sharp-image-filter';

/**
 * Only known decode errors are the image's fault (permanent); anything else is retried. (What sharp
 * really says about truncated input is covered by the sepia stream tests in sharp-image-filter.spec.ts.)
 */
describe('decodeErrorOf', () => {
  it.each([
    ['VipsJpeg: Premature end of input file', 'undecodable'],
    ['VipsJpeg: Corrupt JPEG data: 12 extraneous bytes before marker 0xd9', 'undecodable'],
    ['pngload_source: libspng read error', 'undecodable'],
    ['Input buffer contains unsupported image format', 'not_an_image'],
    ['Input image exceeds pixel limit', 'too_many_pixels'],
  ])('%s → %s (permanent)', (message, reason) => {
    expect(decodeErrorOf(new Error(message))).toMatchObject({ reason });
  });

  it.each([
    'vips_tracked_malloc: out of memory --- size == 123456MB',
    'VipsJpeg: Cannot allocate memory',
    'write: No space left on device',
    'something nobody has seen before',
    'EMFILE: too many open files',
  ])('%s → not a decode error (retried)', (message) => {
    expect(decodeErrorOf(new Error(message))).toBeUndefined();
  });
});
