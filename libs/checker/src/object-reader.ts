import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** Reads one object's bytes; what the sepia check downloads raw and processed images with. */
export type ObjectReader = (key: string) => Promise<Buffer>;

export function s3ObjectReader(s3: S3Client, bucket: string): ObjectReader {
  return async (key) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return Buffer.from(await out.Body.transformToByteArray());
  };
}
