import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';

/**
 * The URL CloudFormation reads a template from (TemplateURL). Virtual-hosted and regional, the form
 * CloudFormation accepts in every region; infra/template.yaml builds its nested stack's the same way.
 */
export function templateUrl(bucket: string, region: string, key: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${bucket}.s3.${region}.${suffix}/${key}`;
}

/** Uploads a file unless the key already exists (keys are content-addressed). Returns whether it uploaded. */
export async function uploadOnce(s3: S3Client, bucket: string, key: string, file: string): Promise<boolean> {
  if (await objectExists(s3, bucket, key)) return false;
  // multipart above 5 MB: a large artifact on a slow link retries parts, not the whole file
  await new Upload({ client: s3, params: { Bucket: bucket, Key: key, Body: createReadStream(file) } }).done();
  return true;
}

async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

/**
 * Deletes every object version, delete marker and unfinished multipart upload, so the bucket can be
 * deleted. Returns how many objects went; a bucket that does not exist counts as empty.
 */
export async function emptyBucket(s3: S3Client, bucket: string): Promise<number> {
  let deleted = 0;
  try {
    // Always list from the start: what was deleted is gone, so each page is the next batch (no
    // markers to get wrong while the listing changes underneath).
    for (;;) {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(({ Key, VersionId }) => ({ Key, VersionId }));
      if (!objects.length) break;
      const { Errors = [] } = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
      if (Errors.length)
        throw new Error(`could not delete ${Errors.length} objects from ${bucket}: ${Errors[0].Code} ${Errors[0].Message}`);
      deleted += objects.length;
    }

    // unfinished uploads hold parts (and block DeleteBucket) without being listed as objects
    for (let more = true; more;) {
      const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      for (const { Key, UploadId } of page.Uploads ?? []) await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }));
      more = Boolean(page.IsTruncated && page.Uploads?.length);
    }
  } catch (error) {
    if ((error as Error).name === 'NoSuchBucket') return deleted;
    throw error;
  }
  return deleted;
}

/** Deletes an (emptied) bucket; one that is already gone is fine. */
export async function deleteBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if ((error as Error).name !== 'NoSuchBucket') throw error;
  }
}
