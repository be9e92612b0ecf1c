import { Readable } from 'node:stream';
import { CHUNK_BYTES } from './settings';

/** The buffer as a stream of CHUNK_BYTES chunks, as an S3 body arrives. */
export function chunked(buffer: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < buffer.length; offset += CHUNK_BYTES) yield buffer.subarray(offset, offset + CHUNK_BYTES);
    })(),
    { objectMode: false },
  );
}

export async function toBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
