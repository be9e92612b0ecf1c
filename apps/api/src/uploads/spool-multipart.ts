import { StagedUpload } from '@imagery/domain';
import busboy from 'busboy';
import type { Request } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UploadRequestError } from './upload-request.error';

export interface SpooledUpload extends StagedUpload {
  discard(): Promise<void>;
}

export interface SpoolOptions {
  readonly fieldName: string;
  readonly maxBytes: number;
  readonly dir?: string;
}

/**
 * Streams the multipart file field to a temporary file, never holding the whole upload in
 * memory. Spooling (rather than piping straight to S3) lets the whole image be checked before
 * anything is stored, so a bad retry can never replace an image that was already accepted.
 */
export function spoolMultipartFile(req: Request, options: SpoolOptions): Promise<SpooledUpload> {
  if (!req.is('multipart/form-data')) {
    throw new UploadRequestError(415, 'unsupported_content_type', `send the image as multipart/form-data with a "${options.fieldName}" field`);
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > options.maxBytes + 64 * 1024) throw tooLarge(options.maxBytes);

  const path = join(options.dir ?? tmpdir(), `imagery-upload-${randomUUID()}`);
  const discard = () => rm(path, { force: true });
  return new Promise<SpooledUpload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: options.maxBytes, fields: 20, parts: 25 } });
    } catch (err) {
      throw new UploadRequestError(400, 'malformed_multipart', `malformed multipart request: ${(err as Error).message}`);
    }
    let spooling: Promise<{ size: number; sha256: string }> | undefined;
    const fail = (err: unknown) => {
      req.unpipe(parser);
      void discard();
      reject(err);
    };

    parser.on('file', (name, stream) => {
      if (name !== options.fieldName || spooling) return stream.resume();
      let size = 0;
      let truncated = false;
      const hash = createHash('sha256');
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        hash.update(chunk);
      });
      stream.on('limit', () => (truncated = true));
      spooling = pipeline(stream, createWriteStream(path)).then(() => {
        if (truncated) throw tooLarge(options.maxBytes);
        return { size, sha256: hash.digest('hex') };
      });
      spooling.catch(fail);
    });
    parser.on('error', (err: Error) => fail(new UploadRequestError(400, 'malformed_multipart', `malformed multipart request: ${err.message}`)));
    parser.on('close', () => {
      if (!spooling) return fail(new UploadRequestError(400, 'missing_file', `the request has no "${options.fieldName}" file field`));
      spooling.then(({ size, sha256 }) => resolve({ path, size, sha256, open: () => createReadStream(path), discard }), fail);
    });
    req.on('aborted', () => fail(new UploadRequestError(400, 'upload_aborted', 'the client aborted the upload')));
    req.pipe(parser);
  });
}

function tooLarge(maxBytes: number): UploadRequestError {
  return new UploadRequestError(413, 'payload_too_large', `the file is larger than the limit of ${maxBytes} bytes`);
}
