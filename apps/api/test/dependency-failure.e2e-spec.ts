import { DecoratedRequestHandler } from '@imagery/aws-adapters';
import { randomUUID } from 'node:crypto';
import { TestApi, startTestApi } from '@imagery/testing/platform/test-platform';
import { call } from '@imagery/testing/api/api-client';

/** When DynamoDB is down, clients get a retryable 503 (never a 500) and readiness fails. */
describe('API with an unreachable DynamoDB', () => {
  let api: TestApi;
  let dynamoDown = false;

  beforeAll(async () => {
    api = await startTestApi(
      {},
      {
        wrapRequestHandler: (service, real) =>
          new DecoratedRequestHandler(real, (_request, send) =>
            service === 'dynamodb' && dynamoDown
              ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
              : send(),
          ),
      },
    );
  });
  afterAll(() => api.close());
  afterEach(() => (dynamoDown = false));

  it('answers 503 dependency_unavailable, and recovers when it is back', async () => {
    const id = randomUUID();
    dynamoDown = true;
    const down = await call(`${api.url}/image/${id}`, { method: 'PUT' });
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ statusCode: 503, error: 'dependency_unavailable' });

    const health = await call(`${api.url}/health`);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'error', error: { dynamodb: { status: 'down' } } });
    // ...while what load balancers check stays up: a shared dependency must not empty the fleet
    expect((await call(`${api.url}/health/ready`)).status).toBe(200);
    expect((await call(`${api.url}/image/not-a-uuid`)).status).toBe(400);

    dynamoDown = false;
    expect((await call(`${api.url}/image/${id}`, { method: 'PUT' })).status).toBe(201);
    expect((await call(`${api.url}/health`)).status).toBe(200);
  });
});
