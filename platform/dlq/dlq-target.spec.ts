import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { type TestStack, deployFreshStack } from '@imagery/testing/platform/local-aws';
import type { PlatformDescription } from '../local/running-platform';
import { DeadLetterQueue } from './dead-letter-queue';
import { resolveDlqTarget } from './dlq-target';

const platformWith = (directEnv: Record<string, string>): PlatformDescription => ({
  pid: process.pid,
  url: 'http://127.0.0.1:8080',
  fisUrl: undefined,
  toxiproxyUrl: '',
  emulatorEndpoint: directEnv.AWS_ENDPOINT_URL_SQS ?? '',
  directEnv,
  maxUploadBytes: 1024,
  build: 'real',
  eventsFile: '',
});

const LOCAL = platformWith({
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566',
  IMAGES_DLQ_URL: 'http://127.0.0.1:4566/1/local-dlq',
  IMAGES_QUEUE_URL: 'http://127.0.0.1:4566/1/local-main',
});

describe('resolveDlqTarget: flags, then the environment, else the running local platform', () => {
  const noPlatform = jest.fn(() => Promise.resolve(undefined));

  it('flags win, and the platform is not even looked for', async () => {
    const findPlatform = jest.fn(() => Promise.resolve(LOCAL));
    const target = await resolveDlqTarget({ flags: { dlq: 'f-dlq', queue: 'f-main' }, env: { IMAGES_DLQ_URL: 'e-dlq' }, findPlatform });
    expect(target).toEqual({ deadLetterQueueUrl: 'f-dlq', mainQueueUrl: 'f-main', sqs: {}, source: 'flags or environment' });
    expect(findPlatform).not.toHaveBeenCalled();
  });

  it('the environment next, with the SDK configured its standard way', async () => {
    const env = { IMAGES_DLQ_URL: 'e-dlq', IMAGES_QUEUE_URL: 'e-main' };
    const target = await resolveDlqTarget({ flags: { queue: 'f-main' }, env, findPlatform: noPlatform });
    expect(target).toMatchObject({ deadLetterQueueUrl: 'e-dlq', mainQueueUrl: 'f-main', sqs: {} });
  });

  it('with nothing given, the running platform: its queues, and its emulator with its keys', async () => {
    const target = await resolveDlqTarget({ flags: {}, env: {}, findPlatform: () => Promise.resolve(LOCAL) });
    expect(target).toEqual({
      deadLetterQueueUrl: 'http://127.0.0.1:4566/1/local-dlq',
      mainQueueUrl: 'http://127.0.0.1:4566/1/local-main',
      sqs: { region: 'us-east-1', endpoint: 'http://127.0.0.1:4566', credentials: { accessKeyId: 'test', secretAccessKey: 'secret' } },
      source: 'the running local platform',
    });
  });

  it('one queue given without its partner: never completed from the platform (no AWS queue beside an emulator one)', async () => {
    const findPlatform = jest.fn(() => Promise.resolve(LOCAL));
    await expect(resolveDlqTarget({ flags: { dlq: 'f-dlq' }, env: {}, findPlatform })).resolves.toBeUndefined();
    expect(findPlatform).not.toHaveBeenCalled();
  });

  it('nothing given and no platform running: nothing to work on', async () => {
    await expect(resolveDlqTarget({ flags: {}, env: {}, findPlatform: noPlatform })).resolves.toBeUndefined();
  });
});

describe('the DLQ tool on a platform found this way (the test emulator)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await deployFreshStack('dlq-target');
  });

  it('lists what is in the platform’s dead-letter queue, with no flags and no environment', async () => {
    const target = await resolveDlqTarget({ flags: {}, env: {}, findPlatform: () => Promise.resolve(platformWith(stack.env)) });
    expect(target?.source).toBe('the running local platform');
    const sqs = new SQSClient(target!.sqs);
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: target!.deadLetterQueueUrl, MessageBody: '{"imageId":"dead-1"}' }));
      const listed = await new DeadLetterQueue(sqs, target!.deadLetterQueueUrl, target!.mainQueueUrl).list(10);
      expect(listed.map((m) => m.body)).toEqual(['{"imageId":"dead-1"}']);
    } finally {
      sqs.destroy();
    }
  });
});
