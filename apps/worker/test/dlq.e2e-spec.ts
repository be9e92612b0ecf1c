import { SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../platform/local/emulator/data-stack';
import { DeadLetterQueue } from '../../../platform/dlq/dead-letter-queue';
import { eventually } from '@imagery/testing/eventually';
import { deployFreshStack } from '@imagery/testing/platform/local-aws';
import { StackProbe } from '@imagery/testing/worker/stack-probe';

/** `npm run dlq -- list | redrive | purge` against the emulator (which has no message-move task: resend). */
describe('the dead-letter queue tools', () => {
  let probe: StackProbe;
  let sqs: SQSClient;
  let dlq: DeadLetterQueue;

  beforeEach(async () => {
    probe = new StackProbe(await deployFreshStack('dlq-tools'));
    sqs = new SQSClient({ endpoint: probe.stack.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    dlq = new DeadLetterQueue(sqs, probe.deadLetterQueueUrl, probe.queueUrl);
  });
  afterEach(() => {
    sqs.destroy();
    probe.destroy();
  });

  const bodies = Array.from({ length: 13 }, () => JSON.stringify({ imageId: randomUUID(), requestId: randomUUID() }));
  const fill = () => Promise.all(bodies.map((b) => probe.send(b, probe.deadLetterQueueUrl)));

  it('list shows every message and leaves them all in the queue, visible', async () => {
    await fill();
    const listed = await dlq.list();
    expect(listed.map((m) => m.body).sort()).toEqual([...bodies].sort());
    for (const m of listed) expect(m.receiveCount).toBeGreaterThanOrEqual(1);
    expect(await dlq.depth()).toEqual({ visible: bodies.length, inFlight: 0 });
  });

  it('redrive moves every message back to the main queue, each once, and empties the dead-letter queue', async () => {
    await fill();
    const result = await dlq.redrive();
    expect(result).toEqual({ method: 'resend', moved: bodies.length }); // the emulator has no StartMessageMoveTask
    expect(await probe.isEmpty(probe.deadLetterQueueUrl)).toBe(true);
    const main: string[] = [];
    await eventually(
      async () => {
        main.push(...(await receiveAll(probe)));
        return main.length >= bodies.length ? true : undefined;
      },
      10_000,
      'messages in the main queue',
    );
    expect(main.sort()).toEqual([...bodies].sort());
  });

  it('purge empties it', async () => {
    await fill();
    await dlq.purge();
    await eventually(async () => ((await probe.isEmpty(probe.deadLetterQueueUrl)) ? true : undefined), 5_000, 'purged');
  });
});

async function receiveAll(probe: StackProbe): Promise<string[]> {
  const { ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
  const out = await probe.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: probe.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }),
  );
  return (out.Messages ?? []).map((m) => m.Body ?? '');
}
