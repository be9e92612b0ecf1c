import { HttpRequest } from '@smithy/core/protocols';
import { operationOf } from './aws-operation';

const req = (over: Partial<HttpRequest>) =>
  new HttpRequest({ method: 'GET', hostname: '127.0.0.1', port: 4566, path: '/', headers: {}, query: {}, protocol: 'http:', ...over });

describe('operationOf', () => {
  it('reads JSON-protocol operations from X-Amz-Target', () => {
    expect(operationOf('dynamodb', req({ method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.UpdateItem' } }))).toBe(
      'UpdateItem',
    );
    expect(operationOf('sqs', req({ method: 'POST', headers: { 'X-Amz-Target': 'AmazonSQS.SendMessage' } }))).toBe('SendMessage');
    expect(operationOf('sqs', req({ method: 'POST' }))).toBe('Unknown');
  });

  it.each([
    ['GET', '/bucket/upload/a', {}, {}, 'GetObject'],
    ['PUT', '/bucket/upload/a', {}, {}, 'PutObject'],
    ['PUT', '/bucket/upload/a', { uploadId: 'u', partNumber: '1' }, {}, 'UploadPart'],
    ['PUT', '/bucket/upload/a', {}, { 'x-amz-copy-source': '/b/k' }, 'CopyObject'],
    ['POST', '/bucket/upload/a', { uploads: '' }, {}, 'CreateMultipartUpload'],
    ['POST', '/bucket/upload/a', { uploadId: 'u' }, {}, 'CompleteMultipartUpload'],
    ['DELETE', '/bucket/upload/a', { uploadId: 'u' }, {}, 'AbortMultipartUpload'],
    ['DELETE', '/bucket/upload/a', {}, {}, 'DeleteObject'],
    ['HEAD', '/bucket', {}, {}, 'HeadBucket'],
    ['HEAD', '/bucket/k', {}, {}, 'HeadObject'],
    ['GET', '/bucket', { 'list-type': '2' }, {}, 'ListObjectsV2'],
  ])('S3 path-style %s %s %j → %s', (method, path, query, headers, expected) => {
    expect(operationOf('s3', req({ method, path, query, headers }))).toBe(expected);
  });

  it('S3 virtual-hosted style: the whole path is the key', () => {
    expect(operationOf('s3', req({ method: 'GET', hostname: 'bucket.s3.us-east-1.amazonaws.com', path: '/k' }))).toBe('GetObject');
    expect(operationOf('s3', req({ method: 'HEAD', hostname: 'bucket.s3.us-east-1.amazonaws.com', path: '/' }))).toBe('HeadBucket');
    expect(operationOf('s3', req({ method: 'HEAD', hostname: 's3.us-east-1.amazonaws.com', path: '/bucket' }))).toBe('HeadBucket');
  });
});
