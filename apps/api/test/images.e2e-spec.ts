import { randomUUID } from 'node:crypto';
import { TestApi, startTestApi } from '@imagery/testing/platform/test-platform';
import { makeJpeg, sha256Of } from '@imagery/testing/platform/test-images';
import { asBrowser, asJson, call, uploadForm } from '@imagery/testing/api/api-client';

describe('images API over HTTP', () => {
  let api: TestApi;
  let jpeg: Buffer;

  beforeAll(async () => {
    api = await startTestApi();
    jpeg = await makeJpeg(320, 240);
  });
  afterAll(() => api.close());

  const put = (id: string) => call(`${api.url}/image/${id}`, { method: 'PUT' });
  const upload = (id: string, form = uploadForm(jpeg), headers: Record<string, string> = asJson) =>
    call(`${api.url}/image/${id}/upload`, { method: 'POST', body: form, headers });

  it('POST /image creates a process with a server-chosen UUID, with or without a body', async () => {
    const empty = await call(`${api.url}/image`, { method: 'POST' });
    const withJson = await call(`${api.url}/image`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    for (const res of [empty, withJson]) {
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ state: 'created', version: 0 });
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(empty.body.id).not.toBe(withJson.body.id);
  });

  it('PUT /image/:id creates once: 201, then 200 with the same item on every retry', async () => {
    const id = randomUUID();
    const first = await put(id);
    const retries = await Promise.all([put(id), put(id), put(id)]);
    expect(first.status).toBe(201);
    for (const retry of retries) {
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
    }
  });

  it('concurrent PUTs of one id create exactly one item', async () => {
    const id = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => put(id)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(results.map((r) => r.body.createdAt)).size).toBe(1);
  });

  it('ids are case-insensitive UUIDs, stored lower-case', async () => {
    const id = randomUUID();
    const res = await put(id.toUpperCase());
    expect(res.status).toBe(201);
    expect(res.body.id).toBe(id);
    expect((await call(`${api.url}/image/${id.toUpperCase()}`)).body.id).toBe(id);
  });

  it('GET /image/:id returns the item; 404 JSON for an unknown id', async () => {
    const id = randomUUID();
    await put(id);
    expect((await call(`${api.url}/image/${id}`)).body).toMatchObject({ id, state: 'created', version: 0 });
    const missing = await call(`${api.url}/image/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'image_not_found' });
  });

  it('upload stores the image at a deterministic key and records the transition', async () => {
    const id = randomUUID();
    await put(id);
    const res = await upload(id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, state: 'uploaded', version: 1, rawS3Key: `upload/${id}/${sha256Of(jpeg)}` });
  });

  it('a retried upload is safe: same key, no version churn', async () => {
    const id = randomUUID();
    await put(id);
    const first = await upload(id);
    const again = await Promise.all([upload(id), upload(id)]);
    for (const res of again) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'uploaded', version: first.body.version, rawS3Key: first.body.rawS3Key });
    }
  });

  it('an image waiting for the worker tells pollers when to come back: Retry-After, half its wait, after the first 2 s', async () => {
    const id = randomUUID();
    await put(id);
    expect((await call(`${api.url}/image/${id}`)).headers.get('retry-after')).toBeNull(); // created: nothing to wait for
    expect((await upload(id)).status).toBe(200);
    const early = await call(`${api.url}/image/${id}`);
    expect(early.body.state).toBe('uploaded');
    expect(early.headers.get('retry-after')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const later = await call(`${api.url}/image/${id}`);
    expect(later.body.state).toBe('uploaded');
    expect(later.headers.get('retry-after')).toBe('1');
  });

  it('a plain HTML form post is redirected (303) to the page view of the image', async () => {
    const id = randomUUID();
    await put(id);
    const res = await upload(id, uploadForm(jpeg), asBrowser);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/#view=${id}`);
    expect((await call(`${api.url}/image/${id}`)).body.state).toBe('uploaded');
  });

  it('an HTML form post to POST /image is sent (303) to the upload form of the new image', async () => {
    const res = await call(`${api.url}/image`, { method: 'POST', headers: asBrowser });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/image\/[0-9a-f-]{36}\/upload$/);
    const form = await call<string>(`${api.url}${location}`);
    expect(form.status).toBe(200);
    expect(form.body).toContain(`action="${location}"`);
    expect(form.body).toContain('enctype="multipart/form-data"');
    expect((await call(`${api.url}/image/${randomUUID()}/upload`)).status).toBe(404);
  });

  it('serves the page, health, and the OpenAPI document', async () => {
    const page = await call(`${api.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');

    const health = await call(`${api.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      details: { dynamodb: { status: 'up' }, s3: { status: 'up' }, sqs: { status: 'up' } },
    });
    expect((await call(`${api.url}/health/live`)).body).toEqual({ status: 'ok' });

    const openapi = await call<{ paths: Record<string, unknown> }>(`${api.url}/docs-json`);
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/image', '/image/{id}', '/image/{id}/upload', '/health']));
    expect((await call(`${api.url}/docs`)).status).toBe(200);
  });
});
