import { InMemoryImageQueue } from './in-memory-image-queue';
import { ManualClock } from './manual-clock';

function queueOf(options = {}) {
  const clock = new ManualClock();
  return { clock, queue: new InMemoryImageQueue(clock, { visibilityTimeoutSeconds: 30, ...options }) };
}

describe('InMemoryImageQueue', () => {
  it('delivers a sent message with a receipt handle and a receive count', async () => {
    const { queue } = queueOf();
    await queue.send({ imageId: 'a' });
    const [message] = await queue.receive(10, 20);
    expect(message).toEqual({ messageId: 'm-1', body: '{"imageId":"a"}', receiptHandle: expect.any(String) as string, receiveCount: 1 });
  });

  it('hides a received message for the visibility timeout, then delivers it again with a new handle', async () => {
    const { clock, queue } = queueOf();
    await queue.send({ imageId: 'a' });
    const [first] = await queue.receive(1, 0);
    expect(await queue.receive(1, 0)).toEqual([]);
    clock.advance(29_999);
    expect(await queue.receive(1, 0)).toEqual([]);
    clock.advance(1);
    const [again] = await queue.receive(1, 0);
    expect(again).toMatchObject({ messageId: first.messageId, receiveCount: 2 });
    expect(again.receiptHandle).not.toBe(first.receiptHandle);
  });

  it('deletes with the latest handle only; a stale handle succeeds and deletes nothing', async () => {
    const { clock, queue } = queueOf();
    await queue.send({ imageId: 'a' });
    const [first] = await queue.receive(1, 0);
    clock.advance(30_000);
    const [second] = await queue.receive(1, 0);
    await queue.delete(first.receiptHandle);
    expect(queue.messages()).toHaveLength(1);
    await queue.delete(second.receiptHandle);
    expect(queue.messages()).toEqual([]);
    await expect(queue.delete(second.receiptHandle)).resolves.toBeUndefined();
  });

  it('receives at most `max` messages, in order', async () => {
    const { queue } = queueOf();
    for (const imageId of ['a', 'b', 'c']) await queue.send({ imageId });
    expect((await queue.receive(2, 0)).map((m) => m.body)).toEqual(['{"imageId":"a"}', '{"imageId":"b"}']);
    expect(await queue.backlog()).toBe(1);
  });

  it('extends the visibility of a message in flight, and refuses one that is not', async () => {
    const { clock, queue } = queueOf();
    await queue.send({ imageId: 'a' });
    const [message] = await queue.receive(1, 0);
    await queue.extendVisibility(message.receiptHandle, 60);
    clock.advance(59_999);
    expect(await queue.receive(1, 0)).toEqual([]);
    clock.advance(1);
    await expect(queue.extendVisibility(message.receiptHandle, 60)).rejects.toThrow('not in flight');
  });

  it('moves a message received maxReceiveCount times to the dead letters', async () => {
    const { clock, queue } = queueOf({ maxReceiveCount: 2 });
    await queue.send({ imageId: 'poison' });
    for (let i = 0; i < 2; i++) {
      expect(await queue.receive(1, 0)).toHaveLength(1);
      clock.advance(30_000);
    }
    expect(await queue.receive(1, 0)).toEqual([]);
    expect(queue.messages()).toEqual([]);
    expect(queue.deadLetters).toEqual([expect.objectContaining({ body: '{"imageId":"poison"}', receiveCount: 2 })]);
  });

  it('duplicates and reorders on demand (at-least-once, no ordering guarantee)', async () => {
    const { queue } = queueOf();
    for (const imageId of ['a', 'b']) await queue.send({ imageId });
    queue.duplicate(0);
    queue.rotate(1);
    expect(queue.messages().map((m) => m.body)).toEqual(['{"imageId":"b"}', '{"imageId":"a"}', '{"imageId":"a"}']);
    expect(queue.sent).toHaveLength(3);
  });

  it('honours an aborted signal', async () => {
    const { queue } = queueOf();
    await expect(queue.receive(1, 20, AbortSignal.abort())).rejects.toThrow();
  });

  it('deleteBatch deletes the latest receives of its handles, like SQS, and takes at most 10', async () => {
    const queue = new InMemoryImageQueue(new ManualClock());
    await queue.send({ imageId: 'a' });
    await queue.send({ imageId: 'b' });
    const got = await queue.receive(10, 0);
    expect(await queue.deleteBatch([got[0].receiptHandle, 'stale-handle'])).toEqual([]);
    expect(queue.messages().map((m) => m.body)).toEqual([got[1].body]);
    await expect(queue.deleteBatch(Array.from({ length: 11 }, () => 'h'))).rejects.toThrow(/at most 10/);
  });
});
