import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ObjectNotFoundError, ObjectStore } from '@imagery/domain';
import { Readable } from 'node:stream';

/** S3's smallest multipart part, and the most a single PutObject is given here. */
const PART_SIZE = 5 * 1024 * 1024;

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /**
   * One PutObject when the body fits in a part (an image, nearly always): read into one Buffer, no
   * multipart machinery. Larger: a multipart upload of what was read and the rest, never more than
   * a couple of 5 MB parts in memory.
   */
  async put(key: string, body: Readable, contentType: string): Promise<void> {
    const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    try {
      const head: Buffer[] = [];
      let size = 0;
      while (size <= PART_SIZE) {
        const next = await chunks.next();
        if (next.done) {
          const whole = Buffer.concat(head, size);
          await this.s3.send(
            new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: whole, ContentType: contentType, ContentLength: size }),
          );
          return;
        }
        head.push(next.value);
        size += next.value.length;
      }
      await this.putMultipart(key, Readable.from(concatenated(head, chunks)), contentType);
    } finally {
      await chunks.return?.(); // a failed call leaves no download or decode running behind it
    }
  }

  private async putMultipart(key: string, body: Readable, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      queueSize: 2,
      partSize: PART_SIZE,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async get(key: string): Promise<Readable> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body as Readable;
    } catch (err) {
      if (err instanceof NoSuchKey) throw new ObjectNotFoundError(key);
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  presignGet(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresInSeconds });
  }
}

/** What was read already, then the rest of the same iterator. */
async function* concatenated(head: readonly Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}
