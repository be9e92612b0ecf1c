import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients, type AwsClients } from '@imagery/aws-adapters';
import { deployFreshStack, type TestStack } from '@imagery/testing/platform/local-aws';
import { DRAIN_QUIET_MS, nothingLeftNow, waitForDrain } from './drain';

/** The drain on the emulator: settled only after DRAIN_QUIET_MS of quiet reads, never while work is left. */
describe('waitForDrain', () => {
  let stack: TestStack;
  let clients: AwsClients;

  beforeAll(async () => {
    stack = await deployFreshStack('drain');
    clients = createAwsClients({ s3ForcePathStyle: true });
  });
  afterAll(() => clients.destroy());

  it('settles an idle system after DRAIN_QUIET_MS of quiet reads, not at the first one, and soon after', async () => {
    const drain = await waitForDrain({ env: stack.env }, 10_000);
    expect(drain).toMatchObject({ drained: true, queued: 0, uploaded: 0 });
    expect(drain.waitedMs).toBeGreaterThanOrEqual(DRAIN_QUIET_MS);
    expect(drain.waitedMs).toBeLessThan(DRAIN_QUIET_MS + 1_500);
  });

  it('does not settle while an image is still `uploaded`, and says so at the timeout', async () => {
    const id = '00000000-0000-4000-8000-0000000000d1';
    await clients.dynamodb.send(
      new PutCommand({ TableName: stack.resources.tableName, Item: { id, state: 'uploaded', updatedAt: 1, version: 1 } }),
    );
    const ticks: number[] = [];
    const drain = await waitForDrain({ env: stack.env }, 1_200, (r) => ticks.push(r.uploaded));
    expect(drain).toMatchObject({ drained: false, uploaded: 1, queued: 0 });
    expect(ticks.length).toBeGreaterThanOrEqual(3); // read often, not once a second
    await clients.dynamodb.send(new DeleteCommand({ TableName: stack.resources.tableName, Key: { id } }));
  });

  it('nothingLeftNow: one read, true on an idle system, false while an image is `uploaded`', async () => {
    expect(await nothingLeftNow({ env: stack.env })).toBe(true);
    const id = '00000000-0000-4000-8000-0000000000d2';
    await clients.dynamodb.send(
      new PutCommand({ TableName: stack.resources.tableName, Item: { id, state: 'uploaded', updatedAt: 1, version: 1 } }),
    );
    expect(await nothingLeftNow({ env: stack.env })).toBe(false);
    await clients.dynamodb.send(new DeleteCommand({ TableName: stack.resources.tableName, Key: { id } }));
  });

  it('does not settle while a message is queued', async () => {
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: stack.env.IMAGES_QUEUE_URL, MessageBody: '{}' }));
    const drain = await waitForDrain({ env: stack.env }, 1_000);
    expect(drain).toMatchObject({ drained: false, queued: 1 });
    expect(await nothingLeftNow({ env: stack.env })).toBe(false);
  });
});
