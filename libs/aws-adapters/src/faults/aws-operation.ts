import type { HttpRequest } from '@smithy/core/protocols';
import { AwsService } from '../aws-clients';

/**
 * The AWS operation a raw HTTP request performs, read the way the service itself would: the
 * X-Amz-Target header for JSON protocols (DynamoDB, SQS), method + path + query for S3's REST API.
 */
export function operationOf(service: AwsService, request: HttpRequest): string {
  if (service !== 's3') {
    const target = headerOf(request, 'x-amz-target');
    return target ? target.slice(target.lastIndexOf('.') + 1) : 'Unknown';
  }
  return s3Operation(request);
}

function s3Operation(request: HttpRequest): string {
  const query = request.query ?? {};
  const has = (name: string) => Object.prototype.hasOwnProperty.call(query, name);
  const onObject = hasObjectKey(request);
  switch (request.method.toUpperCase()) {
    case 'GET':
      return onObject ? 'GetObject' : has('list-type') ? 'ListObjectsV2' : 'ListObjects';
    case 'HEAD':
      return onObject ? 'HeadObject' : 'HeadBucket';
    case 'PUT':
      if (!onObject) return 'CreateBucket';
      if (has('uploadId')) return 'UploadPart';
      return headerOf(request, 'x-amz-copy-source') ? 'CopyObject' : 'PutObject';
    case 'POST':
      if (has('uploads')) return 'CreateMultipartUpload';
      if (has('uploadId')) return 'CompleteMultipartUpload';
      if (has('delete')) return 'DeleteObjects';
      return 'PostObject';
    case 'DELETE':
      if (has('uploadId')) return 'AbortMultipartUpload';
      return onObject ? 'DeleteObject' : 'DeleteBucket';
    default:
      return 'Unknown';
  }
}

/** Path-style (`/bucket/key`, emulators and IP hosts) or virtual-hosted (`bucket.s3...`, `/key`). */
function hasObjectKey(request: HttpRequest): boolean {
  const segments = request.path.split('/').filter(Boolean);
  const virtualHosted = !/^(s3[.-]|localhost$|\d+\.\d+\.\d+\.\d+$|\[)/.test(request.hostname);
  return segments.length > (virtualHosted ? 0 : 1);
}

function headerOf(request: HttpRequest, name: string): string | undefined {
  const key = Object.keys(request.headers).find((h) => h.toLowerCase() === name);
  return key === undefined ? undefined : request.headers[key];
}
