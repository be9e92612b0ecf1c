import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ImageMessage, ReceivedMessage, parseImageMessage } from '@imagery/domain';
import { randomUUID } from 'node:crypto';
import { DataStackParameters } from '../../../platform/local/emulator/data-stack';
import { deployFreshStack } from '@imagery/testing/platform/local-aws';
import { awsResourcesEnvSchema, parseEnv } from './aws-resources-config';
import { runWithRequestContext } from './request-context';
import { PlatformAdapters, createPlatformAdapters } from './platform-adapters';

/** SqsImageQueue against moto. Each test has a queue of its own, so counts mean something. */

const opened: PlatformAdapters[] = [];
afterAll(() => opened.forEach((a) => a.clients.destroy()));

interface FreshQueue extends PlatformAdapters {
  readonly queueUrl: string;
}

async function queueWithUrl(parameters?: DataStackParameters): Promise<FreshQueue> {
  const stack = await deployFreshStack('sqs-queue', parameters);
  const adapters = createPlatformAdapters(parseEnv(awsResourcesEnvSchema, stack.env));
  opened.push(adapters);
  return { ...adapters, queueUrl: stack.env.IMAGES_QUEUE_URL };
}

const message = (): ImageMessage => ({ imageId: randomUUID() });

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await work();
  return { value, ms: Date.now() - start };
}

async function visibleCount(a: FreshQueue): Promise<{ visible: number; inFlight: number }> {
  const out = await a.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: a.queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(out.Attributes?.ApproximateNumberOfMessages),
    inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

// Every test has its own queue, so they run concurrently: the waits (visibility timeouts, long polls) overlap.
describe('SqsImageQueue', () => {
  it.concurrent('carries the current request id with the message, and none outside a request', async () => {
    const a = await queueWithUrl();
    const inRequest = message();
    await runWithRequestContext({ requestId: 'req-123' }, () => a.queue.send(inRequest));
    const outside = message();
    await a.queue.send(outside);
    const bodies = (await a.queue.receive(10, 0)).map((m) => JSON.parse(m.body) as unknown);
    expect(bodies).toHaveLength(2);
    expect(bodies).toEqual(expect.arrayContaining([{ ...inRequest, requestId: 'req-123' }, outside]));
  });

  it.concurrent('sends, receives (body, id, handle, receiveCount 1) and deletes', async () => {
    const a = await queueWithUrl();
    const sent = message();
    await a.queue.send(sent);

    const got = await a.queue.receive(10, 0);
    expect(got).toHaveLength(1);
    const [m] = got;
    expect(JSON.parse(m.body)).toEqual(sent);
    expect(m.messageId).not.toBe('');
    expect(m.receiptHandle).not.toBe('');
    expect(m.receiveCount).toBe(1);
    expect(await visibleCount(a)).toEqual({ visible: 0, inFlight: 1 });

    await a.queue.delete(m.receiptHandle);
    expect(await visibleCount(a)).toEqual({ visible: 0, inFlight: 0 });
    expect(await a.queue.receive(10, 0)).toEqual([]);
  });

  it.concurrent('carries the item the sender wrote, so the consumer can start from it', async () => {
    const a = await queueWithUrl();
    const imageId = randomUUID();
    const item = { id: imageId, version: 1, state: 'uploaded' as const, rawS3Key: `upload/${imageId}/ab`, createdAt: 1, updatedAt: 2 };
    await a.queue.send({ imageId, item });
    const [got] = await a.queue.receive(1, 0);
    expect(parseImageMessage(got.body)).toEqual({ imageId, item });
  });

  it.concurrent('deleteBatch deletes up to 10 in one call, and returns the handles it could not delete', async () => {
    const a = await queueWithUrl();
    await Promise.all(Array.from({ length: 3 }, () => a.queue.send(message())));
    const got = await a.queue.receive(10, 0);
    expect(got).toHaveLength(3);
    expect(await a.queue.deleteBatch(got.map((m) => m.receiptHandle))).toEqual([]);
    expect(await visibleCount(a)).toEqual({ visible: 0, inFlight: 0 });
    expect(await a.queue.deleteBatch(['not-a-receipt-handle'])).toEqual(['not-a-receipt-handle']);
    expect(await a.queue.deleteBatch([])).toEqual([]);
    await expect(a.queue.deleteBatch(Array.from({ length: 11 }, () => 'h'))).rejects.toThrow(/at most 10/);
  });

  it.concurrent('receives at most `max` messages, clamping max to SQS 1..10', async () => {
    const a = await queueWithUrl();
    const sent = Array.from({ length: 12 }, message);
    await Promise.all(sent.map((m) => a.queue.send(m)));

    const one = await a.queue.receive(1, 0);
    expect(one).toHaveLength(1);
    const zero = await a.queue.receive(0, 0); // clamped up to 1, not an SQS validation error
    expect(zero).toHaveLength(1);
    const many = await a.queue.receive(50, 0); // clamped down to 10
    expect(many.length).toBeGreaterThan(0);
    expect(many.length).toBeLessThanOrEqual(10);

    const seen = [...one, ...zero, ...many].map((m) => parseImageMessage(m.body).imageId);
    expect(new Set(seen).size).toBe(seen.length);
    seen.forEach((id) => expect(sent.map((m) => m.imageId)).toContain(id));
  });

  it.concurrent('backlog counts the messages waiting to be received, not those in flight', async () => {
    const a = await queueWithUrl();
    expect(await a.queue.backlog()).toBe(0);
    for (let i = 0; i < 3; i++) await a.queue.send(message());
    expect(await a.queue.backlog()).toBe(3);
    expect(await a.queue.receive(2, 0, undefined, 60)).toHaveLength(2);
    expect(await a.queue.backlog()).toBe(1);
    expect(await visibleCount(a)).toEqual({ visible: 1, inFlight: 2 });
  });

  it.concurrent('extendVisibility(0) makes a message visible at once; each receive counts (receiveCount 2, 3)', async () => {
    const a = await queueWithUrl(); // visibility timeout 60 s: without the reset it would not come back in this test
    const sent = message();
    await a.queue.send(sent);

    const [first] = await a.queue.receive(1, 0);
    expect(first.receiveCount).toBe(1);
    expect(await a.queue.receive(1, 0)).toEqual([]); // hidden while in flight

    await a.queue.extendVisibility(first.receiptHandle, 0);
    const { value: again, ms } = await timed(() => a.queue.receive(1, 2));
    expect(ms).toBeLessThan(1_000);
    expect(again).toHaveLength(1);
    expect(again[0].messageId).toBe(first.messageId);
    expect(JSON.parse(again[0].body)).toEqual(sent);
    expect(again[0].receiveCount).toBe(2);

    await a.queue.extendVisibility(again[0].receiptHandle, 0);
    const [third] = await a.queue.receive(1, 2);
    expect(third.receiveCount).toBe(3);
    // the latest receipt handle deletes it
    await a.queue.delete(third.receiptHandle);
    expect(await a.queue.receive(1, 0)).toEqual([]);
  });

  it.concurrent('redelivers after the visibility timeout expires, with an increased receiveCount', async () => {
    const a = await queueWithUrl({ QueueVisibilityTimeout: 1 });
    await a.queue.send(message());
    const [first] = await a.queue.receive(1, 0);
    expect(first.receiveCount).toBe(1);
    const { value: again, ms } = await timed(() => a.queue.receive(1, 3));
    expect(again).toHaveLength(1);
    expect(again[0].messageId).toBe(first.messageId);
    expect(again[0].receiveCount).toBe(2);
    expect(ms).toBeLessThan(3_000);
  });

  it.concurrent('receive with visibilitySeconds overrides the queue default: redelivered after 1 s, not 60 s', async () => {
    const a = await queueWithUrl(); // queue default 60 s
    await a.queue.send(message());
    const [first] = await a.queue.receive(1, 0, undefined, 1);
    expect(await a.queue.receive(1, 0)).toEqual([]);
    const { value: again, ms } = await timed(() => a.queue.receive(1, 3));
    expect(again.map((m) => [m.messageId, m.receiveCount])).toEqual([[first.messageId, 2]]);
    expect(ms).toBeLessThan(3_000);
  });

  it.concurrent('receive without visibilitySeconds keeps the queue default (the message stays hidden)', async () => {
    const a = await queueWithUrl({ QueueVisibilityTimeout: 30 });
    await a.queue.send(message());
    await a.queue.receive(1, 0);
    const { value, ms } = await timed(() => a.queue.receive(1, 1));
    expect(value).toEqual([]);
    expect(ms).toBeGreaterThanOrEqual(900);
  });

  it.concurrent('extendVisibility keeps an in-flight message hidden past its original timeout', async () => {
    const a = await queueWithUrl({ QueueVisibilityTimeout: 1 });
    await a.queue.send(message());
    const [m] = await a.queue.receive(1, 0);
    await a.queue.extendVisibility(m.receiptHandle, 30);
    await new Promise((r) => setTimeout(r, 1_300));
    expect(await a.queue.receive(1, 0)).toEqual([]);
  });

  it.concurrent('rejects at once when receive is given an already aborted signal', async () => {
    const a = await queueWithUrl();
    await a.queue.send(message());
    const { value: err, ms } = await timed(() =>
      a.queue.receive(1, 20, AbortSignal.abort()).then(
        (v: ReceivedMessage[]) => v,
        (e: unknown) => e,
      ),
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toMatch(/Abort/);
    expect(ms).toBeLessThan(500);
    // nothing was received: the message is still there for someone else
    expect(await a.queue.receive(1, 0)).toHaveLength(1);
  });

  it.concurrent('rejects promptly when the signal aborts during a long poll', async () => {
    const a = await queueWithUrl();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const { value: err, ms } = await timed(() => a.queue.receive(1, 20, controller.signal).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toMatch(/Abort/);
    expect(ms).toBeGreaterThanOrEqual(150);
    expect(ms).toBeLessThan(1_500);
  });

  it.concurrent('long-polls an empty queue for about waitSeconds, then returns nothing', async () => {
    const a = await queueWithUrl();
    const { value, ms } = await timed(() => a.queue.receive(1, 1));
    expect(value).toEqual([]);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(3_000);
  });

  it.concurrent('returns from a long poll as soon as a message arrives', async () => {
    const a = await queueWithUrl();
    const sent = message();
    setTimeout(() => void a.queue.send(sent), 300);
    const { value, ms } = await timed(() => a.queue.receive(1, 5));
    expect(value.map((m) => JSON.parse(m.body) as unknown)).toEqual([sent]);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(2_500);
  });

  it.concurrent('waitSeconds 0 is a short poll even though the queue defaults to 20 s long polling', async () => {
    const a = await queueWithUrl();
    const { value, ms } = await timed(() => a.queue.receive(1, 0));
    expect(value).toEqual([]);
    expect(ms).toBeLessThan(500);
  });
});
