import { StagedUpload } from '@imagery/domain';
import busboy from 'busboy';
import type { Request } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { ReadStream, WriteStream, createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { UploadRequestError } from './upload-request.error';

export interface SpooledUpload extends StagedUpload {
  /** Closes every stream opened on the file and removes it; safe to call more than once. */
  discard(): Promise<void>;
}

export interface SpoolOptions {
  readonly fieldName: string;
  readonly maxBytes: number;
  readonly dir: string;
}

/** Room for the multipart framing and a few small fields around the file. */
const FRAMING_BYTES = 64 * 1024;

/**
 * Streams the multipart file field to a temporary file, never holding the whole upload in
 * memory. Spooling (rather than piping straight to S3) lets the whole image be checked before
 * anything is stored, so a bad retry can never replace an image that was already accepted.
 *
 * Every way out — success, a client abort at any point, a malformed body, the size limit —
 * destroys the parser, the file part and the write stream, and removes the temp file only once
 * the write stream has closed (removing it earlier could race the open and leave a file behind).
 * The size limit is enforced as bytes arrive, with or without a Content-Length.
 */
export function spoolMultipartFile(req: Request, options: SpoolOptions): Promise<SpooledUpload> {
  const bodyLimit = options.maxBytes + FRAMING_BYTES;
  const parser = multipartParser(req, options, bodyLimit);
  const path = join(options.dir, `imagery-upload-${randomUUID()}`);
  const readers = new Set<ReadStream>();
  const discard = discardOf(path, readers);
  const counter = new ByteLimit(bodyLimit);

  return new Promise<SpooledUpload>((resolve, reject) => {
    let settled = false;
    let spooling: Promise<{ size: number; sha256: string }> | undefined;
    let filePart: Readable | undefined;
    let hash: HashingCounter | undefined;
    let writer: WriteStream | undefined;

    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      req.unpipe(counter);
      // Busboy may be in the middle of its own write (a 'limit' event is emitted from inside it):
      // tear it down on the next turn, never re-entrantly.
      setImmediate(() => {
        for (const stream of [counter, parser, filePart, hash, writer]) stream?.destroy();
        // Remove the file only once the write stream has closed its descriptor (a destroyed stream
        // still finishes opening first, and would re-create a file removed before), then answer.
        // Its 'close' is waited for directly: a pipeline whose source busboy already ended may not settle.
        const closed = !writer || writer.closed ? Promise.resolve() : finished(writer).catch(() => undefined);
        void closed.then(discard).finally(() => reject(err));
      });
    };

    parser.on('file', (name, stream) => {
      if (name !== options.fieldName || spooling) return stream.resume();
      filePart = stream;
      const hashing = (hash = new HashingCounter());
      writer = createWriteStream(path, { flags: 'wx' });
      // Cut at the limit as the bytes stream, not when the body ends (a chunked body may be endless).
      stream.once('limit', () => fail(tooLarge(options.maxBytes)));
      spooling = pipeline(stream, hashing, writer).then(() => ({ size: hashing.size, sha256: hashing.digest() }));
      spooling.catch((err: unknown) => fail(err instanceof UploadRequestError ? err : malformed(err)));
    });
    parser.on('error', (err: Error) => fail(malformed(err)));
    parser.on('close', () => {
      if (settled) return;
      if (!spooling) return fail(new UploadRequestError(400, 'missing_file', `the request has no "${options.fieldName}" file field`));
      spooling.then(
        ({ size, sha256 }) => {
          if (settled) return;
          settled = true;
          resolve({ path, size, sha256, open: () => openTracked(path, readers), discard });
        },
        () => undefined, // already failed through spooling.catch
      );
    });
    counter.once('error', fail);
    req.once('close', () => {
      if (!req.complete) fail(new UploadRequestError(400, 'upload_aborted', 'the client aborted the upload'));
    });
    req.pipe(counter).pipe(parser);
  });
}

/** The multipart parser for an upload request; refuses one that is not multipart or declares too long a body. */
function multipartParser(req: Request, options: SpoolOptions, bodyLimit: number): busboy.Busboy {
  if (!req.is('multipart/form-data')) {
    throw new UploadRequestError(
      415,
      'unsupported_content_type',
      `send the image as multipart/form-data with a "${options.fieldName}" field`,
    );
  }
  if (Number(req.headers['content-length'] ?? 0) > bodyLimit) throw tooLarge(options.maxBytes);
  try {
    return busboy({ headers: req.headers, limits: { files: 1, fileSize: options.maxBytes, fields: 20, fieldSize: 1024, parts: 25 } });
  } catch (err) {
    throw new UploadRequestError(400, 'malformed_multipart', `malformed multipart request: ${(err as Error).message}`);
  }
}

/** Closes every reader still open on the file, then removes it. */
function discardOf(path: string, readers: Set<ReadStream>): () => Promise<void> {
  return async () => {
    await Promise.all(
      [...readers].map((r) => {
        r.destroy();
        return r.closed ? Promise.resolve() : finished(r).catch(() => undefined);
      }),
    );
    await rm(path, { force: true });
  };
}

/** A read stream on the spooled file, tracked until it closes so a discard can close it first. */
function openTracked(path: string, readers: Set<ReadStream>): ReadStream {
  const reader = createReadStream(path);
  readers.add(reader);
  reader.once('close', () => readers.delete(reader));
  return reader;
}

/** Counts the whole body's bytes and errors with 413 the moment it passes the limit. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit)
      return done(new UploadRequestError(413, 'payload_too_large', `the request body is larger than ${this.limit} bytes`));
    done(null, chunk);
  }
}

/** Passes the file's bytes through, counting and hashing them on the way to disk. */
class HashingCounter extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    done(null, chunk);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

function malformed(err: unknown): UploadRequestError {
  const message = err instanceof Error ? err.message : String(err);
  return new UploadRequestError(400, 'malformed_multipart', `malformed multipart request: ${message}`);
}

function tooLarge(maxBytes: number): UploadRequestError {
  return new UploadRequestError(413, 'payload_too_large', `the file is larger than the limit of ${maxBytes} bytes`);
}
