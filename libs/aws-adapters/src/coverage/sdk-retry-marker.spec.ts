import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { reachesDuring } from '@imagery/testing/coverage/reaches-during';
import { HttpResponse } from '@smithy/protocol-http';
import { Readable } from 'node:stream';
import { markSdkRetries } from './sdk-retry-marker';

/** An SQS client whose HTTP layer answers `statuses` in turn (500: an internal error the SDK retries). */
function clientAnswering(...statuses: number[]): SQSClient {
  const client = new SQSClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    requestHandler: {
      handle: () => {
        const statusCode = statuses.shift() ?? 200;
        const body = statusCode === 200 ? { QueueUrl: 'http://q/1/images' } : { __type: 'InternalError', message: 'boom' };
        return Promise.resolve({
          response: new HttpResponse({
            statusCode,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Readable.from([JSON.stringify(body)]),
          }),
        });
      },
    },
  });
  markSdkRetries(client, 'sqs');
  return client;
}

describe('markSdkRetries', () => {
  it('marks sdk-retry-succeeded when a call answered after the SDK retried it', async () => {
    const client = clientAnswering(500, 200);
    expect(await reachesDuring(() => client.send(new GetQueueUrlCommand({ QueueName: 'images' })))).toEqual({ 'sdk-retry-succeeded': 1 });
  });

  it('marks nothing for a call answered at once, nor for one whose retries all failed', async () => {
    expect(await reachesDuring(() => clientAnswering(200).send(new GetQueueUrlCommand({ QueueName: 'images' })))).toEqual({});
    let failed: unknown;
    const failing = clientAnswering(500, 500, 500); // the SDK's 3 attempts
    const reached = await reachesDuring(() =>
      failing.send(new GetQueueUrlCommand({ QueueName: 'images' })).catch((e: unknown) => {
        failed = e;
      }),
    );
    expect(failed).toMatchObject({ name: 'InternalError', $metadata: { attempts: 3 } });
    expect(reached).toEqual({});
  });
});
