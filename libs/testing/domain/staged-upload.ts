import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { StagedUpload } from '@imagery/domain/ports/image-filter.port';

/** An upload "spooled" in memory: every `open()` is a fresh stream of the same bytes. */
export function stagedUpload(content: Buffer | string): StagedUpload & { readonly bytes: Buffer } {
  const bytes = Buffer.from(content);
  return {
    path: '/staged/in-memory',
    size: bytes.length,
    sha256: sha256Of(bytes),
    bytes,
    open: () => Readable.from([Buffer.from(bytes)]),
  };
}

export const sha256Of = (content: Buffer | string): string => createHash('sha256').update(content).digest('hex');
