import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './emulator/data-stack';
import type { ReportObjectStore } from '@imagery/control-plane/control-plane';

/**
 * The FIS control plane's own S3 client, straight to the emulator (not through the fleet's
 * Toxiproxy proxies: the apps' network faults are not FIS's), for experiment reports.
 */
export class S3ReportStore implements ReportObjectStore {
  private readonly s3: S3Client;

  constructor(s3Endpoint: string) {
    this.s3 = new S3Client({
      endpoint: s3Endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
      maxAttempts: 2,
    });
  }

  async putObject(bucket: string, key: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  }

  destroy(): void {
    this.s3.destroy();
  }
}
