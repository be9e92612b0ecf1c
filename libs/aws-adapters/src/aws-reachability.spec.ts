import { testResources } from '@imagery/testing/platform/local-aws';
import { reachabilityChecks } from './aws-reachability';
import { awsResourcesEnvSchema, parseEnv } from './aws-resources-config';
import { PlatformAdapters, createPlatformAdapters } from './platform-adapters';

/** The readiness probes against moto: real resources answer, missing ones reject. */
describe('reachabilityChecks', () => {
  let adapters: PlatformAdapters;
  beforeAll(() => {
    adapters = createPlatformAdapters(parseEnv(awsResourcesEnvSchema, process.env));
  });
  afterAll(() => adapters.clients.destroy());

  const real = () => {
    const r = testResources();
    return { tableName: r.tableName, bucket: r.bucketName, queueUrl: r.queueUrl };
  };

  it('resolves all three checks for the stack the global setup deployed', async () => {
    const checks = adapters.reachability;
    await expect(Promise.all([checks.dynamodb(), checks.s3(), checks.sqs()])).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('resolves for the resources given explicitly', async () => {
    const checks = reachabilityChecks(adapters.clients, real());
    await expect(checks.dynamodb()).resolves.toBeUndefined();
    await expect(checks.s3()).resolves.toBeUndefined();
    await expect(checks.sqs()).resolves.toBeUndefined();
  });

  it('rejects the DynamoDB check, and only it, for a table that does not exist', async () => {
    const checks = reachabilityChecks(adapters.clients, { ...real(), tableName: 'no-such-table-5d1c' });
    await expect(checks.dynamodb()).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(checks.s3()).resolves.toBeUndefined();
    await expect(checks.sqs()).resolves.toBeUndefined();
  });

  it('rejects the S3 check, and only it, for a bucket that does not exist', async () => {
    const checks = reachabilityChecks(adapters.clients, { ...real(), bucket: 'no-such-bucket-5d1c' });
    await expect(checks.s3()).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(checks.dynamodb()).resolves.toBeUndefined();
    await expect(checks.sqs()).resolves.toBeUndefined();
  });

  it('rejects the SQS check, and only it, for a queue that does not exist', async () => {
    const r = real();
    const missing = r.queueUrl.replace(/[^/]+$/, 'no-such-queue-5d1c');
    const checks = reachabilityChecks(adapters.clients, { ...r, queueUrl: missing });
    await expect(checks.sqs()).rejects.toMatchObject({ name: expect.stringMatching(/QueueDoesNotExist|NonExistentQueue/) as unknown });
    await expect(checks.dynamodb()).resolves.toBeUndefined();
    await expect(checks.s3()).resolves.toBeUndefined();
  });

  it('rejects every check when nothing listens at the endpoints', async () => {
    // The SDK reads these lazily, at the first request: they stay set until the checks are done.
    const dead = 'http://127.0.0.1:9';
    const overrides: Record<string, string> = {
      AWS_ENDPOINT_URL_DYNAMODB: dead,
      AWS_ENDPOINT_URL_S3: dead,
      AWS_ENDPOINT_URL_SQS: dead,
    };
    const saved = Object.fromEntries(Object.keys(overrides).map((k) => [k, process.env[k]]));
    Object.assign(process.env, overrides);
    const r = real();
    const down = createPlatformAdapters(
      parseEnv(awsResourcesEnvSchema, { ...process.env, IMAGES_QUEUE_URL: dead + new URL(r.queueUrl).pathname }),
    );
    try {
      const results = await Promise.allSettled([down.reachability.dynamodb(), down.reachability.s3(), down.reachability.sqs()]);
      expect(results.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
      results.forEach((x) => expect(String((x as PromiseRejectedResult).reason)).toMatch(/ECONNREFUSED/));
    } finally {
      down.clients.destroy();
      Object.assign(process.env, saved);
    }
  });
});
