import { PoisonMessageError, ProcessImage, ProcessOutcome, ReceivedMessage } from '@imagery/domain';
import { reachesDuring } from '@imagery/testing/coverage/reaches-during';
import { InMemoryImageQueue, ManualClock } from '@imagery/testing/domain';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImageMessageHandler } from './image-message.handler';
import { SqsPoller } from './sqs-poller';
import { startVisibilityHeartbeat } from './visibility-heartbeat';

/** The worker's markers sit on its recovery branches: each is reached exactly when that recovery happens. */
const ID = '0b7c2a9e-4a4e-4d43-9a43-2b1f1f6d8a11';
const OPTIONS = {
  concurrency: 1,
  prefetch: 0,
  deleteLingerMs: 0,
  waitSeconds: 0,
  receiveGatherMs: 0,
  visibilityTimeoutSeconds: 30,
  maxBackoffSeconds: 1,
};

/** An in-memory queue that can fail its next receive or report its next delete batch failed. */
class FlakyQueue extends InMemoryImageQueue {
  failReceives = 0;
  failDeletes = 0;

  override async receive(max: number, waitSeconds: number, signal?: AbortSignal): Promise<ReceivedMessage[]> {
    if (this.failReceives-- > 0) throw new Error('injected: ReceiveMessage failed');
    const got = await super.receive(max, waitSeconds, signal);
    if (got.length === 0) await sleep(5, undefined, { signal }).catch(() => undefined);
    return got;
  }

  override async deleteBatch(handles: readonly string[]): Promise<string[]> {
    if (this.failDeletes-- > 0) return [...handles];
    return super.deleteBatch(handles);
  }
}

const handlerDoing = (job: () => Promise<ProcessOutcome>) => ({ handle: job }) as unknown as ImageMessageHandler;

/** Runs a poller over one message until `done`, and says which paths it reached meanwhile. */
async function pollOneMessage(queue: FlakyQueue, handler: ImageMessageHandler, done: () => boolean) {
  await queue.send({ imageId: ID });
  const poller = new SqsPoller(queue, handler, OPTIONS);
  return reachesDuring(async () => {
    poller.start();
    for (let i = 0; i < 400 && !done(); i++) await sleep(5);
    await poller.stop();
  });
}

describe("the recovery paths the worker's consumer marks", () => {
  it('a job that succeeds at once reaches none', async () => {
    const queue = new FlakyQueue(new ManualClock());
    const reached = await pollOneMessage(
      queue,
      handlerDoing(() => Promise.resolve('processed')),
      () => queue.messages().length === 0,
    );
    expect(queue.messages()).toEqual([]);
    expect(reached).toEqual({});
  });

  it('receive-failed-backoff: a failed ReceiveMessage', async () => {
    const queue = new FlakyQueue(new ManualClock());
    queue.failReceives = 1;
    const reached = await pollOneMessage(
      queue,
      handlerDoing(() => Promise.resolve('processed')),
      () => queue.messages().length === 0,
    );
    expect(reached).toEqual({ 'receive-failed-backoff': 1 });
  });

  it('delete-failed-message-returns: a DeleteMessageBatch entry that failed', async () => {
    const queue = new FlakyQueue(new ManualClock());
    queue.failDeletes = 1;
    let jobs = 0;
    const handler = handlerDoing(() => {
      jobs++;
      return Promise.resolve('processed');
    });
    const reached = await pollOneMessage(queue, handler, () => jobs >= 1 && queue.failDeletes <= 0);
    expect(reached).toEqual({ 'delete-failed-message-returns': 1 });
    expect(queue.messages()).toHaveLength(1); // handed back: its next delivery finds the job done
  });

  it('job-error-retried-later and poison-message-to-dlq: a failed job, and a message no consumer can handle', async () => {
    for (const [error, path] of [
      [new Error('injected'), 'job-error-retried-later'],
      [new PoisonMessageError('not JSON'), 'poison-message-to-dlq'],
    ] as const) {
      const queue = new FlakyQueue(new ManualClock());
      let tries = 0;
      // Fails once, then succeeds: a poison message handed back at once would otherwise spin.
      const handler = handlerDoing(() => (tries++ === 0 ? Promise.reject(error) : Promise.resolve('processed')));
      expect(await pollOneMessage(queue, handler, () => tries >= 1)).toEqual({ [path]: 1 });
    }
  });

  it('message-redelivered: a message received more than once reads the item afresh', async () => {
    const starts: unknown[] = [];
    const processImage = { execute: (_id: string, known?: unknown) => Promise.resolve(starts.push(known) && 'processed') };
    const handler = new ImageMessageHandler(processImage as unknown as ProcessImage);
    const item = { id: ID, version: 1, state: 'uploaded', createdAt: 1, updatedAt: 1 };
    const body = JSON.stringify({ imageId: ID, item });
    expect(await reachesDuring(() => handler.handle(body, 'm1', 1))).toEqual({});
    expect(await reachesDuring(() => handler.handle(body, 'm1', 3))).toEqual({ 'message-redelivered': 1 });
    expect(starts).toEqual([item, undefined]);
  });

  it("visibility-extended: the heartbeat renewed a held message's timeout", async () => {
    const queue = new FlakyQueue(new ManualClock());
    await queue.send({ imageId: ID });
    const [message] = await queue.receive(1, 0);
    const reached = await reachesDuring(async () => {
      const stop = startVisibilityHeartbeat(queue, message.receiptHandle, 0.02, () => undefined);
      await sleep(35);
      stop();
    });
    expect(reached['visibility-extended']).toBeGreaterThanOrEqual(1);
  });
});
