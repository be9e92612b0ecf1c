import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { TestApi, startTestApi } from '@imagery/testing/platform/test-platform';
import { makeJpeg, makePixelBomb, makePng, sha256Of } from '@imagery/testing/platform/test-images';
import { testResources } from '@imagery/testing/platform/local-aws';
import { asJson, call, uploadForm } from '@imagery/testing/api/api-client';

const LIMIT = 256 * 1024;

/** Every client mistake gets a 4xx JSON error naming the problem, and loses nothing already accepted. */
describe('bad input', () => {
  let api: TestApi;
  let jpeg: Buffer;

  beforeAll(async () => {
    api = await startTestApi({ MAX_UPLOAD_BYTES: String(LIMIT), MAX_INPUT_PIXELS: String(50_000_000) });
    jpeg = await makeJpeg(200, 150);
  });
  afterAll(() => api.close());

  const created = async () => {
    const id = randomUUID();
    expect((await call(`${api.url}/image/${id}`, { method: 'PUT' })).status).toBe(201);
    return id;
  };
  const upload = (id: string, body: BodyInit, headers: Record<string, string> = asJson) =>
    call(`${api.url}/image/${id}/upload`, { method: 'POST', body, headers });
  const stateOf = async (id: string) => (await call(`${api.url}/image/${id}`)).body.state;

  function expectError(res: { status: number; body: unknown }, status: number, error: string) {
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ statusCode: status, error, message: expect.any(String) as unknown });
  }

  it.each([['not-a-uuid'], ['1234'], ['00000000-0000-0000-0000-00000000000g'], ['%E2%80%AE'], ["x'%20OR%201=1"], ['a'.repeat(300)]])(
    'malformed id %s → 400 on every route',
    async (id) => {
      for (const [method, path] of [
        ['PUT', ''],
        ['GET', ''],
        ['POST', '/upload'],
      ] as const) {
        const res = await call(`${api.url}/image/${id}${path}`, { method, ...(method === 'POST' ? { body: uploadForm(jpeg) } : {}) });
        expectError(res, 400, 'invalid_image_id');
      }
    },
  );

  it('upload for an unknown id → 404', async () => {
    expectError(await upload(randomUUID(), uploadForm(jpeg)), 404, 'image_not_found');
  });

  it('a text file is not an image → 415, even when it claims to be image/jpeg', async () => {
    const id = await created();
    const text = Buffer.from('hello, I am definitely a JPEG\n'.repeat(20));
    expectError(await upload(id, uploadForm(text, 'x.jpg', 'image/jpeg')), 415, 'not_an_image');
    expect(await stateOf(id)).toBe('created');
  });

  it('unsupported image formats (SVG, GIF) → 415', async () => {
    const id = await created();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    expectError(await upload(id, uploadForm(svg, 'x.svg', 'image/svg+xml')), 415, 'not_an_image');
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
    expectError(await upload(id, uploadForm(gif, 'x.gif', 'image/gif')), 415, 'not_an_image');
  });

  it('a truncated JPEG → 422 undecodable', async () => {
    const id = await created();
    const big = await makeJpeg(400, 300);
    expectError(await upload(id, uploadForm(big.subarray(0, Math.floor(big.length * 0.6)))), 422, 'undecodable');
    expect(await stateOf(id)).toBe('created');
  });

  it('an empty file → 422', async () => {
    expectError(await upload(await created(), uploadForm(Buffer.alloc(0))), 422, 'empty');
  });

  it('a decompression bomb is refused by its pixel count → 422, without decoding it', async () => {
    const bomb = makePixelBomb(20_000); // 400 MP in a few tens of KB
    expect(bomb.length).toBeLessThan(LIMIT);
    const id = await created();
    const started = Date.now();
    expectError(await upload(id, uploadForm(bomb, 'bomb.png', 'image/png')), 422, 'too_many_pixels');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await stateOf(id)).toBe('created');
  });

  it('a file over the size limit → 413 JSON', async () => {
    const id = await created();
    const huge = Buffer.alloc(LIMIT * 2, 0xff);
    // Without a Content-Length the limit is enforced while streaming; with one, before reading.
    const res = await rawMultipartPost(`${api.url}/image/${id}/upload`, huge, { chunked: true });
    expectError(res, 413, 'payload_too_large');
    const declared = await rawMultipartPost(`${api.url}/image/${id}/upload`, huge, { chunked: false });
    expectError(declared, 413, 'payload_too_large');
    expect(await stateOf(id)).toBe('created');
  });

  it('wrong content types → 415; multipart without the file field → 400; malformed multipart → 400', async () => {
    const id = await created();
    expectError(await upload(id, jpeg.toString('binary'), { ...asJson, 'content-type': 'image/jpeg' }), 415, 'unsupported_content_type');
    expectError(await upload(id, '{"file":"x"}', { ...asJson, 'content-type': 'application/json' }), 415, 'unsupported_content_type');
    expectError(await upload(id, uploadForm(jpeg, 'x.jpg', 'image/jpeg', 'picture')), 400, 'missing_file');
    const garbage = await upload(id, 'this is not multipart at all', { ...asJson, 'content-type': 'multipart/form-data; boundary=XYZ' });
    expectError(garbage, 400, 'malformed_multipart');
    expect(await stateOf(id)).toBe('created');
  });

  it('PNG and WebP images are accepted', async () => {
    expect((await upload(await created(), uploadForm(await makePng(64, 64), 'x.png', 'image/png'))).status).toBe(200);
  });

  it('a bad retry after a good upload keeps the accepted image intact', async () => {
    const id = await created();
    expect((await upload(id, uploadForm(jpeg))).status).toBe(200);
    // Other bytes than the accepted upload: refused before they are even inspected.
    expectError(await upload(id, uploadForm(jpeg.subarray(0, jpeg.length / 2))), 409, 'already_uploaded');
    expectError(await upload(id, uploadForm(Buffer.from('nope'))), 409, 'already_uploaded');
    expect(await stateOf(id)).toBe('uploaded');
    const stored = await storedRawObject(`upload/${id}/${sha256Of(jpeg)}`);
    expect(stored.equals(jpeg)).toBe(true);
  });

  it('a second upload with different content is refused (409) and the first stays', async () => {
    const id = await created();
    expect((await upload(id, uploadForm(jpeg))).status).toBe(200);
    const other = await makeJpeg(200, 150, { seed: 99 });
    expectError(await upload(id, uploadForm(other)), 409, 'already_uploaded');
    expect((await call(`${api.url}/image/${id}`)).body).toMatchObject({ rawS3Key: `upload/${id}/${sha256Of(jpeg)}` });
  });

  it('concurrent uploads of one image all succeed and leave one consistent item', async () => {
    const id = await created();
    const results = await Promise.all(Array.from({ length: 6 }, () => upload(id, uploadForm(jpeg))));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    const item = (await call(`${api.url}/image/${id}`)).body;
    expect(item).toMatchObject({ state: 'uploaded', version: 1, rawS3Key: `upload/${id}/${sha256Of(jpeg)}` });
  });

  it('unknown routes → 404 JSON, unsupported methods on known routes → 405 JSON, never a 500', async () => {
    const res = await call(`${api.url}/nope/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404 });
    expect((await call(`${api.url}/image/${randomUUID()}`, { method: 'DELETE' })).status).toBe(405);
  });
});

async function storedRawObject(key: string): Promise<Buffer> {
  const s3 = new S3Client({ forcePathStyle: true });
  const out = await s3.send(new GetObjectCommand({ Bucket: testResources().bucketName, Key: key }));
  const bytes = Buffer.from(await out.Body!.transformToByteArray());
  s3.destroy();
  return bytes;
}

/** A hand-built multipart POST, to control Content-Length and survive the server closing early. */
function rawMultipartPost(url: string, file: Buffer, { chunked }: { chunked: boolean }): Promise<{ status: number; body: unknown }> {
  const boundary = 'imagery-test-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'application/json' };
    if (!chunked) headers['content-length'] = String(body.length);
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    // Send in pieces; the server may answer and close before the end, which is the point.
    let offset = 0;
    const pump = () => {
      while (offset < body.length) {
        const ok = req.write(body.subarray(offset, (offset += 16 * 1024)));
        if (!ok) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}
