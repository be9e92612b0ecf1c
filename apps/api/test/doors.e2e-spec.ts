import { DecoratedRequestHandler } from '@imagery/aws-adapters';
import { IMAGE_ID_PATTERN } from '@imagery/domain';
import { randomUUID } from 'node:crypto';
import { TestApi, startTestApi } from '@imagery/testing/platform/test-platform';
import { OpsListener, startOpsListener } from '../src/http/ops-routes';
import { call } from '@imagery/testing/api/api-client';

/** Security headers, request ids, 405s, the rate limit, operational routes kept off the public port. */
describe('the doors of the API', () => {
  let api: TestApi;
  beforeAll(async () => (api = await startTestApi()));
  afterAll(() => api.close());

  it('sends helmet security headers and no X-Powered-By', async () => {
    for (const path of ['/', `/image/${randomUUID()}`, '/nope']) {
      const { headers } = await call(`${api.url}${path}`);
      expect(headers.get('x-powered-by')).toBeNull();
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it("echoes the client's x-request-id, or a new UUID when it has none or a bad one", async () => {
    expect((await call(`${api.url}/health/live`, { headers: { 'x-request-id': 'client-trace.42' } })).headers.get('x-request-id')).toBe(
      'client-trace.42',
    );
    const generated = (await call(`${api.url}/health/live`)).headers.get('x-request-id');
    expect(generated).toMatch(new RegExp(IMAGE_ID_PATTERN));
    const replaced = (await call(`${api.url}/health/live`, { headers: { 'x-request-id': 'has spaces<script>' } })).headers.get(
      'x-request-id',
    );
    expect(replaced).toMatch(new RegExp(IMAGE_ID_PATTERN));
  });

  it.each([
    ['DELETE', () => `/image/${randomUUID()}`, 'GET, HEAD, PUT'],
    ['PATCH', () => `/image/${randomUUID()}`, 'GET, HEAD, PUT'],
    ['GET', () => '/image', 'POST'],
    ['PUT', () => `/image/${randomUUID()}/upload`, 'GET, HEAD, POST'],
    ['POST', () => '/health/live', 'GET, HEAD'],
  ])('%s on a known path → 405 JSON with Allow', async (method, path, allow) => {
    const res = await call(`${api.url}${path()}`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.body).toMatchObject({ statusCode: 405, error: 'method_not_allowed' });
  });

  it("the OpenAPI document states the id format and each route's error codes", async () => {
    const doc = (await call(`${api.url}/docs-json`)).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; schema: { pattern?: string; format?: string } }[];
            responses: Record<string, { description: string }>;
          }
        >
      >;
    };
    const get = doc.paths['/image/{id}'].get;
    expect(get.parameters?.find((p) => p.name === 'id')?.schema).toMatchObject({ format: 'uuid', pattern: IMAGE_ID_PATTERN });
    expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '404', '429', '503']);
    const upload = doc.paths['/image/{id}/upload'].post;
    expect(Object.keys(upload.responses).sort()).toEqual(['200', '303', '400', '404', '409', '413', '415', '422', '429', '503']);
    for (const code of ['invalid_image_id', 'missing_file', 'malformed_multipart', 'upload_aborted'])
      expect(upload.responses['400'].description).toContain(`\`${code}\``);
    for (const code of ['too_many_uploads', 'dependency_unavailable', 'version_conflict'])
      expect(upload.responses['503'].description).toContain(`\`${code}\``);
    expect(Object.keys(doc.paths['/image'].post.responses).sort()).toEqual(['201', '303', '429', '503']); // no id, so no 400
  });
});

describe('rate limit per client', () => {
  let api: TestApi;
  beforeAll(async () => (api = await startTestApi({ RATE_LIMIT_REQUESTS: '5', RATE_LIMIT_WINDOW_SECONDS: '60' })));
  afterAll(() => api.close());

  it('past the limit: 429 JSON with Retry-After; health checks are never limited', async () => {
    const id = randomUUID();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await call(`${api.url}/image/${id}`);
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(limited!.body).toMatchObject({ statusCode: 429, error: 'too_many_requests' });
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expect((await call(`${api.url}/health/ready`)).status).toBe(200);
  });
});

describe('operational routes on their own listener (OPS_PORT)', () => {
  let api: TestApi;
  let ops: OpsListener;
  let dynamoDown = false;

  beforeAll(async () => {
    api = await startTestApi(
      { OPS_PORT: '0' },
      {
        wrapRequestHandler: (service, real) =>
          new DecoratedRequestHandler(real, (_request, send) =>
            service === 'dynamodb' && dynamoDown
              ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:4567 secret-endpoint'), { code: 'ECONNREFUSED' }))
              : send(),
          ),
      },
    );
    ops = await startOpsListener(api.app.getHttpServer(), api.app.getHttpAdapter().getInstance(), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await ops.close();
    await api.close();
  });

  const opsUrl = () => `http://127.0.0.1:${ops.port}`;

  it.each(['/metrics', '/docs', '/docs-json', '/health'])('%s: 404 on the public port, served on the ops port', async (path) => {
    const pub = await call(`${api.url}${path}`);
    expect(pub.status).toBe(404);
    expect(pub.body).toMatchObject({ statusCode: 404 });
    expect((await call(`${opsUrl()}${path}`)).status).toBe(200);
  });

  it('the public port still serves the API and the load balancer checks', async () => {
    expect((await call(`${api.url}/health/ready`)).status).toBe(200);
    expect((await call(`${api.url}/health/live`)).status).toBe(200);
    expect((await call(`${api.url}/image/${randomUUID()}`, { method: 'PUT' })).status).toBe(201);
  });

  it('the deep health check says which dependency is down, never the AWS error text', async () => {
    dynamoDown = true;
    try {
      const res = await call(`${opsUrl()}/health`);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: { dynamodb: { status: 'down', message: 'unreachable' } } });
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|secret-endpoint/);
    } finally {
      dynamoDown = false;
    }
  });
});
