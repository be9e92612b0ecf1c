import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** Reads one object's bytes; what the sepia check downloads raw and processed images with. */
export type ObjectReader = (key: string) => Promise<Buffer>;

export function s3ObjectReader(s3: S3Client, bucket: string): ObjectReader {
  const read = s3ObjectContentReader(s3, bucket);
  return async (key) => (await read(key)).bytes;
}

/**
 * `read`, each object fetched once however many invariants read it: `uses` says how many reads
 * each key will get (raw images: hashed by raw-matches-key and compared by sepia); a key's bytes
 * are kept only until its last read, and keys read once pass straight through. A failed read
 * fails every reader of that key, as separate reads of a missing object would.
 */
export function sharedReader(read: ObjectReader, uses: ReadonlyMap<string, number>): ObjectReader {
  const pending = new Map<string, { bytes: Promise<Buffer>; left: number }>();
  return (key) => {
    const expected = uses.get(key) ?? 0;
    if (expected <= 1) return read(key);
    let entry = pending.get(key);
    if (!entry) {
      entry = { bytes: read(key), left: expected };
      pending.set(key, entry);
    }
    if (--entry.left === 0) pending.delete(key);
    return entry.bytes;
  };
}

/** One object's bytes and the ETag the store gave with them: what names those very bytes (object-judgements.ts). */
export interface ObjectContent {
  readonly bytes: Buffer;
  readonly etag?: string;
}

export type ObjectContentReader = (key: string) => Promise<ObjectContent>;

export function s3ObjectContentReader(s3: S3Client, bucket: string): ObjectContentReader {
  return async (key) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return { bytes: Buffer.from(await out.Body.transformToByteArray()), ...(out.ETag ? { etag: out.ETag } : {}) };
  };
}
