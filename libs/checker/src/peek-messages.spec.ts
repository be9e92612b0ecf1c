import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { readFinalState } from './final-state';
import { peekMessages } from './peek-messages';

/**
 * An in-memory SQS queue, enough for a peek: receive hides what it returns, a visibility of 0
 * shows it again. `unreceivable` messages are reported by the counts but never returned (in
 * flight elsewhere, or missed by short polling).
 */
function fakeQueue(count: number, unreceivable = 0) {
  const bodies = Array.from({ length: count }, (_, i) => `{"imageId":"m-${i}"}`);
  const hidden = new Set<number>();
  let receives = 0;
  const answer = (command: object) => {
    if (command instanceof GetQueueAttributesCommand) {
      const attributes = {
        ApproximateNumberOfMessages: count - unreceivable,
        ApproximateNumberOfMessagesNotVisible: unreceivable,
        ApproximateNumberOfMessagesDelayed: 0,
      };
      return { Attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, String(v)])) };
    }
    if (command instanceof ReceiveMessageCommand) {
      receives++;
      const free = bodies.map((_, i) => i).filter((i) => i < count - unreceivable && !hidden.has(i));
      const batch = free.slice(0, command.input.MaxNumberOfMessages ?? 1);
      batch.forEach((i) => hidden.add(i));
      return { Messages: batch.map((i) => ({ MessageId: `id-${i}`, ReceiptHandle: `rh-${i}`, Body: bodies[i] })) };
    }
    if (command instanceof ChangeMessageVisibilityBatchCommand) {
      for (const e of command.input.Entries ?? []) hidden.delete(Number(e.ReceiptHandle!.slice(3)));
      return {};
    }
    throw new Error(`fake sqs: ${command.constructor.name}`);
  };
  // A throwing answer rejects, as the SDK's send does.
  const sqs = { send: (command: object) => new Promise((resolve) => resolve(answer(command))) } as unknown as SQSClient;
  return { sqs, bodies, hidden, receives: () => receives };
}

describe('peekMessages', () => {
  it('reads every message the queue reports, past 1,000, and leaves them all visible', async () => {
    const q = fakeQueue(1_503);
    const peek = await peekMessages(q.sqs, 'dlq', { expected: 1_503 });
    expect(peek.unseen).toBe(0);
    expect([...peek.bodies].sort()).toEqual([...q.bodies].sort());
    expect(q.hidden.size).toBe(0);
    // bounded by what the queue reports: 151 receives with messages, then 2 idle ones
    expect(q.receives()).toBeLessThanOrEqual(Math.ceil(1_503 / 10) * 3 + 2);
  });

  it('says how many it could not see when the queue shows fewer than it reports', async () => {
    const q = fakeQueue(30, 12);
    const peek = await peekMessages(q.sqs, 'dlq', { expected: 30 });
    expect(peek.bodies).toHaveLength(18);
    expect(peek.unseen).toBe(12);
  });

  it('an explicit cap reads no more, and counts the rest as unseen', async () => {
    const peek = await peekMessages(fakeQueue(25).sqs, 'dlq', { expected: 25, max: 5 });
    expect(peek.bodies).toHaveLength(5);
    expect(peek.unseen).toBe(20);
  });
});

describe('readFinalState: the dead-letter peek has no fixed cap', () => {
  // The SDK's paginators want real client instances: their prototypes, with a fake send.
  const fake = <T>(prototype: object, answer: (command: object) => unknown): T =>
    Object.assign(Object.create(prototype) as object, {
      send: (command: object) => new Promise((resolve) => resolve(answer(command))),
    }) as T;
  const emptyStores = {
    dynamodb: fake<DynamoDBDocumentClient>(DynamoDBDocumentClient.prototype, (c) => (c instanceof ScanCommand ? { Items: [] } : undefined)),
    s3: fake<S3Client>(S3Client.prototype, (c) => (c instanceof ListObjectsV2Command ? { Contents: [] } : undefined)),
  };
  const read = (sqs: SQSClient) =>
    readFinalState({ tableName: 't', bucket: 'b', queueUrl: 'q', dlqUrl: 'dlq', clients: { ...emptyStores, sqs } });

  it('reads all 1,200 dead letters by default (it stopped at 1,000, and the rest were never judged)', async () => {
    const state = await read(fakeQueue(1_200).sqs);
    expect(state.deadLetter.messages).toHaveLength(1_200);
    expect(state.deadLetter.unseen).toBeUndefined();
  });

  it('records the dead letters it could not see', async () => {
    const state = await read(fakeQueue(40, 3).sqs);
    expect(state.deadLetter).toMatchObject({ visible: 37, inFlight: 3, unseen: 3 });
    expect(state.deadLetter.messages).toHaveLength(37);
  });
});
