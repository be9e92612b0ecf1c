import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { Agent, get } from 'node:http';
import type { Socket } from 'node:net';
import { deployDataStackToEmulator, LOCAL_CREDENTIALS, LOCAL_REGION, type LocalResources } from './data-stack';
import { Emulator, startEmulator } from './emulator';
import { eventually } from '@imagery/testing/eventually';
import { endLongPolls, openReceives } from './end-long-polls';

/**
 * The local AWS as the platform runs it: one lean moto process per service, each holding the whole
 * data stack. What makes it an emulator of one AWS account: the same resource names everywhere,
 * each service's calls answered by its own process, conditional writes still atomic.
 */
describe('the emulator (one moto process per service)', () => {
  let emulator: Emulator;
  let resources: LocalResources;
  const config = (endpoint: string) => ({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const dynamodbAt = (endpoint: string) => new DynamoDBClient(config(endpoint));

  beforeAll(async () => {
    emulator = await startEmulator();
    resources = await deployDataStackToEmulator(emulator.endpoints, { stackName: `emulator-${randomUUID().slice(0, 8)}` });
  }, 90_000);
  afterAll(() => emulator?.stop());

  it('runs each service on its own port, the stack deployed to each under the same names', async () => {
    const { dynamodb, s3, sqs } = emulator.endpoints;
    expect(new Set([dynamodb, s3, sqs]).size).toBe(3);
    expect(resources.queueUrl.startsWith(`${sqs}/`)).toBe(true);
    for (const endpoint of [dynamodb, s3, sqs]) {
      const bucket = new S3Client({ ...config(endpoint), forcePathStyle: true });
      const queue = new SQSClient(config(endpoint));
      try {
        await expect(bucket.send(new HeadBucketCommand({ Bucket: resources.bucketName }))).resolves.toBeDefined();
        const name = new URL(resources.queueUrl).pathname.split('/').pop();
        await expect(queue.send(new GetQueueUrlCommand({ QueueName: name }))).resolves.toBeDefined();
      } finally {
        bucket.destroy();
        queue.destroy();
      }
    }
  });

  it("keeps each process's state its own: an item written to DynamoDB's process is not in another's", async () => {
    const id = randomUUID();
    const [own, other] = [dynamodbAt(emulator.endpoints.dynamodb), dynamodbAt(emulator.endpoints.s3)];
    try {
      await own.send(new PutItemCommand({ TableName: resources.tableName, Item: { id: { S: id } } }));
      const key = { TableName: resources.tableName, Key: { id: { S: id } }, ConsistentRead: true };
      expect((await own.send(new GetItemCommand(key))).Item).toEqual({ id: { S: id } });
      expect((await other.send(new GetItemCommand(key))).Item).toBeUndefined();
    } finally {
      own.destroy();
      other.destroy();
    }
  });

  it('lets exactly one of twenty racing conditional creates of one item win, every time', async () => {
    const client = dynamodbAt(emulator.endpoints.dynamodb);
    try {
      for (let round = 0; round < 20; round++) {
        const id = randomUUID();
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            client.send(
              new PutItemCommand({
                TableName: resources.tableName,
                Item: { id: { S: id }, writer: { N: String(i) } },
                ConditionExpression: 'attribute_not_exists(id)',
              }),
            ),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        lost.forEach((r) => expect(r.reason).toBeInstanceOf(ConditionalCheckFailedException));
      }
    } finally {
      client.destroy();
    }
  });

  it('keeps a connection alive: two requests to a process, one after the other, go over one socket', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await getOver(agent, `${emulator.endpoints.sqs}/moto-api/`);
      const second = await getOver(agent, `${emulator.endpoints.sqs}/moto-api/`);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(first.connection).not.toBe('close');
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  });

  it("keeps every connection alive when many clients hold one (cheroot's default kept ten)", async () => {
    const clients = 32;
    const agent = new Agent({ keepAlive: true, maxSockets: clients });
    const url = `${emulator.endpoints.dynamodb}/moto-api/`;
    try {
      const first = await Promise.all(Array.from({ length: clients }, () => getOver(agent, url)));
      const second = await Promise.all(Array.from({ length: clients }, () => getOver(agent, url)));
      expect(first.filter((r) => r.connection === 'close')).toHaveLength(0);
      expect(new Set(first.map((r) => r.socket)).size).toBe(clients);
      expect(new Set(second.map((r) => r.socket))).toEqual(new Set(first.map((r) => r.socket)));
    } finally {
      agent.destroy();
    }
  });

  it("ends the long polls of clients that died, on the harness's request, and only those", async () => {
    const sqs = new SQSClient(config(emulator.endpoints.sqs));
    try {
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({ QueueName: `polls-${randomUUID().slice(0, 8)}`, Attributes: { VisibilityTimeout: '1' } }),
      );
      /** A consumer killed in a long poll: the poll reached the emulator, then its client went away. */
      const diedInAPoll = async () => {
        const dead = new AbortController();
        const before = await openReceives(emulator.endpoints.sqs);
        const poll = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }), { abortSignal: dead.signal });
        // once it waits in the emulator (a fixed pause lost that race on a busy machine, and the next message went to the live receive)
        await eventually(
          async () => ((await openReceives(emulator.endpoints.sqs)) > before ? true : undefined),
          10_000,
          'the poll to reach the emulator',
        );
        dead.abort();
        await expect(poll).rejects.toThrow();
      };
      const sendAndReceive = async (body: string) => {
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
        return Messages.map((m) => m.Body);
      };
      // As in SQS: the dead client's poll takes the next message, which nobody then sees until its visibility timeout.
      await diedInAPoll();
      expect(await sendAndReceive('taken by the dead poll')).toEqual([]);
      // Ended: the next message goes to a live consumer at once.
      await sleep(1_200); // the first message is visible again: take it out of the way
      expect(await sendAndReceive('again')).toContain('taken by the dead poll');
      await diedInAPoll();
      await endLongPolls(emulator.endpoints.sqs);
      const live = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 })); // started after: not ended
      await sleep(300);
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'for the live consumer' }));
      expect((await live).Messages?.map((m) => m.Body)).toEqual(['for the live consumer']);
    } finally {
      sqs.destroy();
    }
  }, 30_000);

  it('hands a message to one of many long polls woken by it, never to two (sqs_atomic_receive.py)', async () => {
    const sqs = new SQSClient(config(emulator.endpoints.sqs));
    const polls = 16;
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `one-receive-${randomUUID().slice(0, 8)}` }));
      for (let round = 0; round < 20; round++) {
        const before = await openReceives(emulator.endpoints.sqs);
        const receives = Array.from({ length: polls }, () =>
          sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, VisibilityTimeout: 30 })).then((r) => r.Messages ?? []),
        );
        await eventually(
          async () => ((await openReceives(emulator.endpoints.sqs)) >= before + polls ? true : undefined),
          10_000,
          'every poll to wait in the emulator',
        );
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `round ${round}` }));
        await Promise.race(receives.map((r) => r.then((messages) => (messages.length > 0 ? true : new Promise(() => {})))));
        await endLongPolls(emulator.endpoints.sqs); // the polls left waiting answer empty
        const received = (await Promise.all(receives)).flat().map((m) => m.Body);
        expect({ round, received }).toEqual({ round, received: [`round ${round}`] });
      }
    } finally {
      sqs.destroy();
    }
  }, 60_000);

  it("keeps SQS's clock (sqs_speedups.py reads it faster): a received message hides its timeout, a delayed one waits", async () => {
    const sqs = new SQSClient(config(emulator.endpoints.sqs));
    const receive = async (QueueUrl: string) =>
      ((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }))).Messages ?? []).map(
        (m) => m.Body,
      );
    try {
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({ QueueName: `clock-${randomUUID().slice(0, 8)}`, Attributes: { VisibilityTimeout: '1' } }),
      );
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'now' }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 2 }));
      expect(await receive(QueueUrl!)).toEqual(['now']);
      expect(await receive(QueueUrl!)).toEqual([]); // 'now' hidden, 'later' delayed
      await sleep(1_200);
      expect(await receive(QueueUrl!)).toEqual(['now']); // visible again; 'later' still delayed
      await sleep(1_000);
      expect((await receive(QueueUrl!)).sort()).toEqual(['later', 'now']);
    } finally {
      sqs.destroy();
    }
  });

  it('stops every process', async () => {
    const started = await startEmulator();
    await started.stop();
    for (const endpoint of Object.values(started.endpoints)) {
      await expect(fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    }
  }, 60_000);
});

/** One GET through `agent`, its body read: the socket it used (which the agent then keeps or drops) and its Connection header. */
function getOver(agent: Agent, url: string): Promise<{ status?: number; connection?: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      const socket = res.socket; // the agent detaches it once the body is read
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, socket }));
    }).on('error', reject);
  });
}
