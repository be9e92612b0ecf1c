import { ImageFilter, ImageInfo, InvalidImageError, StagedUpload } from '@imagery/domain';
import { PassThrough, Readable } from 'node:stream';
import sharp from 'sharp';
import { SEPIA_MATRIX } from './sepia-matrix';

export interface SharpFilterOptions {
  /** Decompression-bomb guard: images with more pixels than this are refused before decoding. */
  readonly maxInputPixels: number;
  readonly jpegQuality?: number;
}

/**
 * optimiseCoding (sharp's default) makes libjpeg hold the whole compressed image before writing:
 * ~100 MB per 12 MP image, which at concurrency 4 broke the worker's memory bound. Without it the
 * output is ~4 % larger and the encoder streams.
 */
export const sepiaJpegOptions = (quality = 85): sharp.JpegOptions => ({ quality, optimiseCoding: false });

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp']);

export class SharpImageFilter implements ImageFilter {
  constructor(private readonly options: SharpFilterOptions) {}

  async inspect(upload: StagedUpload): Promise<ImageInfo> {
    if (upload.size === 0) throw new InvalidImageError('empty', 'the file is empty');
    // Header only: no pixel limit needed to read the dimensions, which the bomb check below uses.
    const meta = await sharp(upload.path, { limitInputPixels: false })
      .metadata()
      .catch(() => {
        throw new InvalidImageError('not_an_image', 'the file is not an image (JPEG, PNG or WebP expected)');
      });
    const { format, width, height } = meta;
    if (!format || !ACCEPTED_FORMATS.has(format)) {
      throw new InvalidImageError('not_an_image', `unsupported image format ${format ?? 'unknown'} (JPEG, PNG or WebP expected)`);
    }
    if (!width || !height) throw new InvalidImageError('undecodable', 'the image has no dimensions');
    if (width * height > this.options.maxInputPixels) {
      throw new InvalidImageError(
        'too_many_pixels',
        `the image is ${width}x${height} pixels; at most ${this.options.maxInputPixels} pixels are accepted`,
      );
    }
    // Header checks miss truncation and corrupt data: decode it all, cheaply, with shrink-on-load.
    await this.decoder(upload.path)
      .resize(64, 64, { fit: 'inside' })
      .raw()
      .toBuffer()
      .catch((err: Error) => {
        throw new InvalidImageError('undecodable', `the image data is corrupt or truncated (${err.message.trim()})`);
      });
    return { format, width, height };
  }

  sepia(input: Readable): Readable {
    const transformer = this.decoder()
      .rotate() // honour EXIF orientation before dropping the metadata
      .recomb(SEPIA_MATRIX)
      .jpeg(sepiaJpegOptions(this.options.jpegQuality));
    const output = new PassThrough();
    let inputError: unknown;
    input.once('error', (err) => {
      inputError = err;
      transformer.destroy(err);
    });
    // Only known decode errors mean a bad image; a broken download or a libvips failure such as
    // running out of memory stays a transient error, and the job is retried.
    transformer.once('error', (err) => output.destroy(err === inputError ? err : (decodeErrorOf(err) ?? err)));
    input.pipe(transformer).pipe(output);
    // A consumer that gives up (a failed upload) must not leave the download and decode running.
    output.once('close', () => {
      input.destroy();
      transformer.destroy();
    });
    return output;
  }

  /** With no path, the decoder is a stream to pipe into. */
  private decoder(path?: string): sharp.Sharp {
    const options: sharp.SharpOptions = { limitInputPixels: this.options.maxInputPixels, failOn: 'truncated', sequentialRead: true };
    return path === undefined ? sharp(options) : sharp(path, options);
  }
}

/** Resource failures: never the image's fault, whatever the message says besides. */
const RESOURCE_FAILURE =
  /out of memory|cannot allocate|memory allocation|malloc|no space left|too many open files|resource temporarily unavailable/i;

/** What libvips and its loaders say about bad input (truncated, corrupt or unknown data). */
const DECODE_FAILURE = new RegExp(
  [
    'premature end|corrupt|truncated|unexpected end|bad (?:huffman|marker|header|data|image)|invalid|not a (?:jpeg|png|webp)',
    'unknown (?:file )?format|read error|(?:jpeg|png|webp|heif|gif|tiff)load|libspng|vipsjpeg|vipspng|improper call|decode',
    'unable to (?:read|load|decode)|does not look like|not a known',
  ].join('|'),
  'i',
);

/** The InvalidImageError a decoder error means, or undefined when it is not a known decode error. */
export function decodeErrorOf(err: Error): InvalidImageError | undefined {
  const message = err.message.trim();
  if (RESOURCE_FAILURE.test(message)) return undefined;
  if (/pixel limit/i.test(message)) return new InvalidImageError('too_many_pixels', message);
  if (/unsupported image format/i.test(message)) return new InvalidImageError('not_an_image', message);
  if (DECODE_FAILURE.test(message)) return new InvalidImageError('undecodable', message);
  return undefined;
}
