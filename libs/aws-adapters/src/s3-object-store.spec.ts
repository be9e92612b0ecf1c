import { ListMultipartUploadsCommand, ListObjectVersionsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { HttpHandler, HttpRequest } from '@smithy/core/protocols';
import { ObjectNotFoundError } from '@imagery/domain';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { deployFreshStack } from '@imagery/testing/platform/local-aws';
import { AwsService } from './aws-clients';
import { awsResourcesEnvSchema, parseEnv } from './aws-resources-config';
import { PlatformAdapters, createPlatformAdapters } from './platform-adapters';

/** S3ObjectStore against moto, on a bucket of its own, watching the requests it sends. */
describe('S3ObjectStore', () => {
  let adapters: PlatformAdapters;
  let bucket: string;
  /** Every S3 request: method and path+query, to tell a single PutObject from a multipart upload. */
  const requests: string[] = [];

  beforeAll(async () => {
    const stack = await deployFreshStack('s3-store');
    bucket = stack.resources.bucketName;
    adapters = createPlatformAdapters(parseEnv(awsResourcesEnvSchema, stack.env), {
      wrapRequestHandler: (service, real) => recording(service, real, requests),
    });
  });
  afterAll(() => adapters.clients.destroy());
  beforeEach(() => (requests.length = 0));

  const key = (name: string) => `test/${randomUUID()}/${name}`;

  it('stores a small stream with one PutObject and reads it back byte for byte', async () => {
    const bytes = randomBytes(64 * 1024);
    const k = key('small.bin');
    await adapters.store.put(k, chunked(bytes, 1000), 'application/octet-stream');
    expect(requests.filter((r) => r.startsWith('PUT'))).toHaveLength(1);
    expect(requests.some((r) => r.includes('uploads'))).toBe(false);
    expectSameBytes(await readAll(await adapters.store.get(k)), bytes);
  });

  it('stores a stream larger than 5 MB as a multipart upload and reads it back byte-identical', async () => {
    const bytes = randomBytes(11 * 1024 * 1024 + 12_345); // three parts of at most 5 MiB
    const k = key('large.bin');
    await adapters.store.put(k, chunked(bytes, 64 * 1024), 'application/octet-stream');

    expect(requests.filter((r) => /^POST .*[?&]uploads(&|$)/.test(r))).toHaveLength(1); // CreateMultipartUpload
    expect(requests.filter((r) => /^PUT .*partNumber/.test(r))).toHaveLength(3); // UploadPart x3
    expect(requests.filter((r) => /^POST .*uploadId/.test(r))).toHaveLength(1); // CompleteMultipartUpload

    expectSameBytes(await readAll(await adapters.store.get(k)), bytes);
    // nothing left half-uploaded
    const pending = await adapters.clients.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(pending.Uploads ?? []).toHaveLength(0);
  });

  it('keeps the content type it was given', async () => {
    const k = key('image.jpg');
    await adapters.store.put(k, Readable.from([Buffer.from('not really a jpeg')]), 'image/jpeg');
    const url = await adapters.store.presignGet(k, 60);
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
  });

  it('stores an empty stream as an empty object', async () => {
    const k = key('empty.bin');
    await adapters.store.put(k, Readable.from([]), 'application/octet-stream');
    expect((await readAll(await adapters.store.get(k))).length).toBe(0);
  });

  it('rejects get of a missing key with ObjectNotFoundError naming the key', async () => {
    const k = key('missing.bin');
    const err = await adapters.store.get(k).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ObjectNotFoundError);
    expect(err).toMatchObject({ key: k });
  });

  it('presigns a GET URL that plain fetch can load, returning the bytes', async () => {
    const bytes = randomBytes(200 * 1024);
    const k = key('presigned.bin');
    await adapters.store.put(k, chunked(bytes, 8192), 'application/octet-stream');
    const url = await adapters.store.presignGet(k, 300);
    expect(url).toContain('X-Amz-Signature=');

    expect(url).toContain('X-Amz-Expires=300');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expectSameBytes(Buffer.from(await res.arrayBuffer()), bytes);
  });

  it('presigns a path-style URL on the configured S3 endpoint', async () => {
    const k = key('where.bin');
    const url = new URL(await adapters.store.presignGet(k, 60));
    expect(url.origin).toBe(new URL(process.env.AWS_ENDPOINT_URL_S3!).origin);
    expect(url.pathname).toBe(`/${bucket}/${k}`);
    // a URL for a key that does not exist is still a URL: the fetch, not the signing, finds it missing
    expect((await fetch(url)).status).toBe(404);
  });

  it('overwrites the same key: one object is left, holding the last content', async () => {
    const k = key('overwritten.bin');
    await adapters.store.put(k, Readable.from([Buffer.from('first version, longer than the second')]), 'text/plain');
    await adapters.store.put(k, Readable.from([Buffer.from('second')]), 'text/plain');

    const listed = await adapters.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: k }));
    expect((listed.Contents ?? []).map((o) => [o.Key, o.Size])).toEqual([[k, 6]]);
    const versions = await adapters.clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: k }));
    expect(versions.Versions ?? []).toHaveLength(1); // the bucket is not versioned
    expect((await readAll(await adapters.store.get(k))).toString()).toBe('second');
  });

  it('deletes an object, after which get finds nothing', async () => {
    const k = key('deleted.bin');
    await adapters.store.put(k, Readable.from([Buffer.from('short-lived')]), 'text/plain');
    await adapters.store.delete(k);
    await expect(adapters.store.get(k)).rejects.toBeInstanceOf(ObjectNotFoundError);
    const listed = await adapters.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: k }));
    expect(listed.KeyCount ?? 0).toBe(0);
  });

  it('deletes idempotently: deleting a missing key resolves', async () => {
    await expect(adapters.store.delete(key('never-there.bin'))).resolves.toBeUndefined();
  });

  it('rejects put when the body stream fails, and leaves no object and no pending multipart upload', async () => {
    const k = key('broken.bin');
    const failure = new Error('upload stream broke');
    function* broken() {
      yield randomBytes(6 * 1024 * 1024); // past the first part, so a multipart upload has begun
      throw failure;
    }
    await expect(adapters.store.put(k, Readable.from(broken()), 'application/octet-stream')).rejects.toThrow('upload stream broke');
    await expect(adapters.store.get(k)).rejects.toBeInstanceOf(ObjectNotFoundError);
    const pending = await adapters.clients.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: k }));
    expect(pending.Uploads ?? []).toHaveLength(0);
  });
});

/** A handler that records each request's method, path and query, then passes it to the real one. */
function recording(service: AwsService, real: HttpHandler, log: string[]): HttpHandler {
  return {
    handle: (request: HttpRequest, options) => {
      if (service === 's3') log.push(`${request.method} ${request.path}?${Object.keys(request.query ?? {}).join('&')}`);
      return real.handle(request, options);
    },
    updateHttpClientConfig: (k, v) => real.updateHttpClientConfig(k, v),
    httpHandlerConfigs: () => real.httpHandlerConfigs(),
    destroy: () => real.destroy?.(),
    metadata: real.metadata,
  };
}

function chunked(bytes: Buffer, size: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= bytes.length) return void this.push(null);
      this.push(bytes.subarray(offset, offset + size));
      offset += size;
    },
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Byte equality without jest's slow element-wise diff of large buffers. */
function expectSameBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(sha256(actual)).toBe(sha256(expected));
}
