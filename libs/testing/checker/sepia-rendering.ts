import { Readable } from 'node:stream';
import { SharpImageFilter } from '@imagery/image-filter';

const filter = new SharpImageFilter({ maxInputPixels: 40_000_000 });

/** The worker's own sepia rendering of an image, as bytes. */
export async function renderSepia(image: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of filter.sepia(Readable.from([image]))) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
