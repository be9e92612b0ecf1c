import { HttpResponse } from '@smithy/core/protocols';
import type { HttpRequest } from '@smithy/core/protocols';
import { anImage } from '@imagery/testing/domain';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { TestStack, deployFreshStack } from '@imagery/testing/platform/local-aws';
import { AwsService, RequestHandlerWrapper } from './aws-clients';
import { awsResourcesEnvSchema, parseEnv } from './aws-resources-config';
import { PlatformAdapters, createPlatformAdapters } from './platform-adapters';

/**
 * The fault-injection seam of createAwsClients: a wrapper around each client's real HTTP handler,
 * below the SDK's retries. Checked against moto with a stack of its own.
 */

interface Seen {
  readonly service: AwsService;
  readonly request: HttpRequest;
}

/** What a fault returns instead of passing the request on; undefined passes it on. */
type Fault = (service: AwsService, request: HttpRequest) => Promise<{ response: HttpResponse }> | undefined;

/** A wrapper that logs every request, then either injects `fault`'s answer or calls the real handler. */
function spyingWrapper(seen: Seen[], fault: () => Fault | undefined): RequestHandlerWrapper {
  return (service, real) => ({
    handle: (request: HttpRequest, options) => {
      seen.push({ service, request });
      return fault()?.(service, request) ?? real.handle(request, options);
    },
    updateHttpClientConfig: (k, v) => real.updateHttpClientConfig(k, v),
    httpHandlerConfigs: () => real.httpHandlerConfigs(),
    destroy: () => real.destroy?.(),
    metadata: real.metadata,
  });
}

/** An AWS JSON-protocol error response (DynamoDB, SQS), as the service would send it. */
function jsonError(statusCode: number, type: string, message = 'injected by the test'): { response: HttpResponse } {
  const body = JSON.stringify({ __type: type, message });
  return {
    response: new HttpResponse({
      statusCode,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': String(Buffer.byteLength(body)),
        'x-amzn-requestid': randomUUID(),
        'x-amzn-query-error': '',
      },
      body: Readable.from([Buffer.from(body)]),
    }),
  };
}

/** An S3 REST-XML error response. */
function xmlError(statusCode: number, code: string): { response: HttpResponse } {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Error><Code>${code}</Code><Message>injected by the test</Message><RequestId>r</RequestId></Error>`;
  return {
    response: new HttpResponse({
      statusCode,
      headers: { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) },
      body: Readable.from([Buffer.from(body)]),
    }),
  };
}

const DDB_INTERNAL = 'com.amazonaws.dynamodb.v20120810#InternalServerError';
const attemptOf = (r: HttpRequest): string | undefined => r.headers['amz-sdk-request'];
const target = (r: HttpRequest): string | undefined => r.headers['x-amz-target'] ?? r.headers['X-Amz-Target'];

describe('createAwsClients wrapRequestHandler', () => {
  let stack: TestStack;
  let adapters: PlatformAdapters;
  const seen: Seen[] = [];
  let fault: Fault | undefined;
  const wrapped: AwsService[] = [];

  beforeAll(async () => {
    stack = await deployFreshStack('aws-clients');
    const spy = spyingWrapper(seen, () => fault);
    adapters = createPlatformAdapters(parseEnv(awsResourcesEnvSchema, stack.env), {
      wrapRequestHandler: (service, real) => {
        wrapped.push(service);
        return spy(service, real);
      },
    });
  });
  afterAll(() => adapters.clients.destroy());
  beforeEach(() => {
    seen.length = 0;
    fault = undefined;
  });

  it('wraps each client handler once, naming its service', () => {
    expect([...wrapped].sort()).toEqual(['dynamodb', 's3', 'sqs']);
  });

  it('leaves the SDK logger middleware out of every client (no logger is configured) and keeps the retry marker', () => {
    const { dynamodb, s3, sqs } = adapters.clients;
    for (const names of [dynamodb.middlewareStack.identify(), s3.middlewareStack.identify(), sqs.middlewareStack.identify()]) {
      expect(names.filter((n) => n.startsWith('loggerMiddleware'))).toEqual([]);
      expect(names.filter((n) => n.startsWith('markSdkRetries'))).toHaveLength(1);
    }
  });

  it('sees every request of every adapter, with the right service name', async () => {
    const image = anImage('created', { id: randomUUID() });
    await adapters.table.create(image);
    await adapters.table.get(image.id);
    await adapters.store.put(`test/${image.id}`, Readable.from([Buffer.from('x')]), 'text/plain');
    await adapters.store.get(`test/${image.id}`);
    await adapters.queue.send({ imageId: image.id });
    const [m] = await adapters.queue.receive(1, 0);
    await adapters.queue.delete(m.receiptHandle);
    await adapters.reachability.dynamodb();
    await adapters.reachability.s3();
    await adapters.reachability.sqs();

    const summary = seen.map(({ service, request }) => [
      service,
      target(request) ?? `${request.method} ${request.path.replace(/\/$/, '')}`,
    ]);
    expect(summary).toEqual([
      ['dynamodb', 'DynamoDB_20120810.PutItem'],
      ['dynamodb', 'DynamoDB_20120810.GetItem'],
      ['s3', `PUT /${stack.resources.bucketName}/test/${image.id}`],
      ['s3', `GET /${stack.resources.bucketName}/test/${image.id}`],
      ['sqs', 'AmazonSQS.SendMessage'],
      ['sqs', 'AmazonSQS.ReceiveMessage'],
      ['sqs', 'AmazonSQS.DeleteMessage'],
      ['dynamodb', 'DynamoDB_20120810.DescribeTable'],
      ['s3', `HEAD /${stack.resources.bucketName}`],
      ['sqs', 'AmazonSQS.GetQueueAttributes'],
    ]);
    // the wrapper sits below signing: what it sees is what goes on the wire
    seen.forEach(({ request }) => expect(request.headers.authorization ?? request.headers.Authorization).toMatch(/^AWS4-HMAC-SHA256 /));
  });

  it('lets a wrapper fail one DynamoDB request with an HTTP 500, which the SDK retries', async () => {
    const image = anImage('created', { id: randomUUID() });
    await adapters.table.create(image);
    seen.length = 0;
    let injected = 0;
    fault = (service) => (service === 'dynamodb' && injected++ === 0 ? Promise.resolve(jsonError(500, DDB_INTERNAL)) : undefined);

    expect(await adapters.table.get(image.id)).toEqual(image);
    const attempts = seen.filter((s) => s.service === 'dynamodb');
    expect(attempts).toHaveLength(2);
    expect(attempts.map((s) => target(s.request))).toEqual(['DynamoDB_20120810.GetItem', 'DynamoDB_20120810.GetItem']);
    expect(attempts.map((s) => attemptOf(s.request))).toEqual([expect.stringMatching(/^attempt=1;/), expect.stringMatching(/^attempt=2;/)]);
  });

  it('gives up after the SDK attempt limit when DynamoDB keeps failing, surfacing the AWS error', async () => {
    fault = (service) => (service === 'dynamodb' ? Promise.resolve(jsonError(500, DDB_INTERNAL)) : undefined);
    const err = await adapters.table.get(randomUUID()).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'InternalServerError',
      message: 'injected by the test',
      $metadata: { httpStatusCode: 500 },
    });
    // the SDK's default (3, or 4 for DynamoDB in SDKs with the 2026 retry defaults), every attempt through the wrapper
    const attempts = (err as { $metadata: { attempts: number } }).$metadata.attempts;
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(4);
    expect(seen.filter((s) => s.service === 'dynamodb')).toHaveLength(attempts);
  });

  it('retries a throttling error (400 ProvisionedThroughputExceededException), not a validation error', async () => {
    const image = anImage('created', { id: randomUUID() });
    await adapters.table.create(image);

    seen.length = 0;
    let throttled = 0;
    fault = (service) =>
      service === 'dynamodb' && throttled++ === 0
        ? Promise.resolve(jsonError(400, 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException'))
        : undefined;
    expect(await adapters.table.get(image.id)).toEqual(image);
    expect(seen).toHaveLength(2);

    seen.length = 0;
    fault = (service) =>
      service === 'dynamodb' ? Promise.resolve(jsonError(400, 'com.amazon.coral.validate#ValidationException')) : undefined;
    await expect(adapters.table.get(image.id)).rejects.toMatchObject({ name: 'ValidationException' });
    expect(seen).toHaveLength(1);
  });

  it('retries a network error thrown by the handler', async () => {
    const image = anImage('created', { id: randomUUID() });
    await adapters.table.create(image);
    seen.length = 0;
    let resets = 0;
    fault = (service) =>
      service === 'dynamodb' && resets++ === 0
        ? Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
        : undefined;
    expect(await adapters.table.get(image.id)).toEqual(image);
    expect(seen).toHaveLength(2);
  });

  it('fails one request per service and sees each SDK retry it (SQS 500, S3 503 SlowDown)', async () => {
    const failedOnce = new Set<AwsService>();
    fault = (service) => {
      if (service === 'dynamodb' || failedOnce.has(service)) return undefined;
      failedOnce.add(service);
      return Promise.resolve(service === 'sqs' ? jsonError(500, 'InternalError') : xmlError(503, 'SlowDown'));
    };
    await adapters.queue.send({ imageId: randomUUID() });
    const key = `test/${randomUUID()}`;
    await adapters.store.put(key, Readable.from([Buffer.from('after a retry')]), 'text/plain');
    expect(seen.map((s) => s.service)).toEqual(['sqs', 'sqs', 's3', 's3']);

    fault = undefined;
    const back: Buffer[] = [];
    for await (const c of (await adapters.store.get(key)) as AsyncIterable<Uint8Array>) back.push(Buffer.from(c));
    expect(Buffer.concat(back).toString()).toBe('after a retry');
    const [m] = await adapters.queue.receive(1, 0);
    expect(m).toBeDefined();
  });
});
