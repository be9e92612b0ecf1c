import { Readable } from 'node:stream';
import { StagedUpload } from '../ports/image-filter.port';

/** An upload "spooled" in memory: every `open()` is a fresh stream of the same bytes. */
export function stagedUpload(content: Buffer | string): StagedUpload & { readonly bytes: Buffer } {
  const bytes = Buffer.from(content);
  return {
    path: '/staged/in-memory',
    size: bytes.length,
    bytes,
    open: () => Readable.from([Buffer.from(bytes)]),
  };
}
