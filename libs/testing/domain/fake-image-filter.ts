import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { InvalidImageError } from '@imagery/domain/errors';
import { ImageFilter, ImageInfo, StagedUpload } from '@imagery/domain/ports/image-filter.port';

/** Bytes `inspect` refuses: not an image at all. */
export const NOT_AN_IMAGE = 'NOTIMG';
/** Bytes `inspect` accepts but `sepia` cannot decode: what ends an image in `failed`. */
export const UNDECODABLE = 'BADPIX';
/** What the fake sepia puts in front of the input bytes. */
export const SEPIA_MARK = 'SEPIA:';

/** The sepia rendering the fake produces for `raw`. */
export function sepiaOf(raw: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(SEPIA_MARK), Buffer.from(raw)]);
}

/**
 * A filter that decides by content, never by declared type: empty and `NOTIMG...` inputs are
 * refused by `inspect`; `BADPIX...` passes `inspect` and fails inside the `sepia` stream (the way
 * a decode failure surfaces); anything else becomes `SEPIA:` + the bytes.
 */
export class FakeImageFilter implements ImageFilter {
  inspectCalls = 0;
  sepiaCalls = 0;

  async inspect(upload: StagedUpload): Promise<ImageInfo> {
    this.inspectCalls++;
    const bytes = await buffer(upload.open());
    if (bytes.length === 0) throw new InvalidImageError('empty', 'the upload is empty');
    if (startsWith(bytes, NOT_AN_IMAGE)) throw new InvalidImageError('not_an_image', 'not an image');
    return { format: 'png', width: bytes.length, height: 1 };
  }

  sepia(input: Readable): Readable {
    this.sepiaCalls++;
    return Readable.from(
      (async function* render() {
        const bytes = await buffer(input);
        if (startsWith(bytes, UNDECODABLE)) throw new InvalidImageError('undecodable', 'corrupt pixel data');
        yield sepiaOf(bytes);
      })(),
    );
  }
}

function startsWith(bytes: Buffer, marker: string): boolean {
  return bytes.subarray(0, marker.length).toString('latin1') === marker;
}

/** The checker's sepia comparison for the fake filter (libs/checker's SepiaComparer seam): is `processed` the fake rendering of `raw`? */
export function isFakeSepiaOf(raw: Buffer, processed: Buffer): Promise<{ ok: boolean; why?: string }> {
  const ok = processed.equals(sepiaOf(raw));
  return Promise.resolve(ok ? { ok } : { ok, why: `not the fake filter's rendering of these ${raw.length} bytes` });
}
