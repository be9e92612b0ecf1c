import { ImageQueue, ProcessOutcome, ReceivedMessage } from '@imagery/domain';
import { InMemoryImageQueue, ManualClock } from '@imagery/testing/domain';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImageMessageHandler } from './image-message.handler';
import { SqsPoller } from './sqs-poller';

/** The in-memory queue, with a receive that long-polls a little when there is nothing (as SQS's does). */
class PollingQueue extends InMemoryImageQueue {
  readonly receives: number[] = [];

  override async receive(max: number, waitSeconds: number, signal?: AbortSignal): Promise<ReceivedMessage[]> {
    const got = await super.receive(max, waitSeconds, signal);
    if (got.length === 0) await sleep(5, undefined, { signal }).catch(() => undefined);
    else this.receives.push(got.length);
    return got;
  }
}

/** A handler whose jobs finish when the test says so. */
function gatedHandler(): { handler: ImageMessageHandler; running: string[]; finishAll: () => void } {
  const running: string[] = [];
  let gates: (() => void)[] = [];
  const handler = {
    handle: (body: string) =>
      new Promise<ProcessOutcome>((resolve) => {
        running.push(body);
        gates.push(() => resolve('processed'));
      }),
  } as unknown as ImageMessageHandler;
  const finishAll = () => {
    const open = gates;
    gates = [];
    open.forEach((g) => g());
  };
  return { handler, running, finishAll };
}

const OPTIONS = {
  concurrency: 2,
  prefetch: 8,
  deleteLingerMs: 0,
  waitSeconds: 1,
  receiveGatherMs: 0,
  visibilityTimeoutSeconds: 30,
  maxBackoffSeconds: 4,
};

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await sleep(5);
  expect(condition()).toBe(true);
}

describe('SqsPoller', () => {
  it('receives up to 10 at once, runs `concurrency` jobs, holds the rest hidden, and deletes each message only after its job', async () => {
    const queue = new PollingQueue(new ManualClock());
    for (let i = 0; i < 12; i++) await queue.send({ imageId: `m${i}` });
    const { handler, running, finishAll } = gatedHandler();
    const poller = new SqsPoller(queue, handler, OPTIONS);
    poller.start();
    await until(() => running.length === 2);
    expect(queue.receives).toEqual([10]);
    expect(await queue.backlog()).toBe(2); // 10 hidden: 2 running, 8 held
    expect(queue.messages()).toHaveLength(12); // nothing deleted while jobs run
    await until(() => {
      finishAll();
      return queue.messages().length === 0;
    });
    expect(running).toHaveLength(12);
    await poller.stop();
  });

  it('on stop, hands the held messages back at once and finishes the jobs in flight', async () => {
    const queue = new PollingQueue(new ManualClock());
    for (let i = 0; i < 5; i++) await queue.send({ imageId: `m${i}` });
    const { handler, running, finishAll } = gatedHandler();
    const poller = new SqsPoller(queue, handler, OPTIONS);
    poller.start();
    await until(() => running.length === 2);
    const stopped = poller.stop();
    await until(() => queue.messages().filter((m) => m.receiveCount === 1).length === 5);
    finishAll();
    await stopped;
    expect(await queue.backlog()).toBe(3); // the 3 held ones are visible again; the 2 run were deleted
    expect(queue.messages()).toHaveLength(3);
  });

  it("frees a finished job's slot at once: the next job starts while the delete still waits for its batch", async () => {
    const queue = new PollingQueue(new ManualClock());
    for (let i = 0; i < 3; i++) await queue.send({ imageId: `m${i}` });
    const { handler, running, finishAll } = gatedHandler();
    const poller = new SqsPoller(queue, handler, { ...OPTIONS, concurrency: 1, deleteLingerMs: 60_000 });
    poller.start();
    await until(() => running.length === 1);
    finishAll();
    await until(() => running.length === 2); // the linger (60 s) has not passed: m0's delete is still gathered
    expect(queue.messages()).toHaveLength(3);
    finishAll();
    await until(() => running.length === 3);
    finishAll();
    await poller.stop(); // stop sends what is gathered
    expect(queue.messages()).toHaveLength(0);
  });

  it('a job that fails leaves its message to come back after a backoff', async () => {
    const clock = new ManualClock();
    const queue = new PollingQueue(clock);
    await queue.send({ imageId: 'm0' });
    const handler = { handle: () => Promise.reject(new Error('S3 is down')) } as unknown as ImageMessageHandler;
    const extended = jest.spyOn(queue as ImageQueue, 'extendVisibility');
    const poller = new SqsPoller(queue, handler, OPTIONS);
    poller.start();
    await until(() => extended.mock.calls.length === 1);
    await poller.stop();
    expect(extended.mock.calls[0][1]).toBe(4); // 2^(1 + 1) s, capped at maxBackoffSeconds
    expect(queue.messages()).toHaveLength(1);
  });

  describe('gathering', () => {
    /** Every job done as soon as it starts. */
    const doneAtOnce = { handle: () => Promise.resolve('processed') } as unknown as ImageMessageHandler;

    /** m0, then m1 and m2 30 ms apart, each job done at once: the receives' sizes. */
    async function trickle(receiveGatherMs: number): Promise<number[]> {
      const queue = new PollingQueue(new ManualClock());
      const poller = new SqsPoller(queue, doneAtOnce, { ...OPTIONS, concurrency: 4, prefetch: 0, receiveGatherMs });
      poller.start();
      await queue.send({ imageId: 'm0' });
      await until(() => queue.receives.length === 1);
      await queue.send({ imageId: 'm1' });
      await sleep(30);
      await queue.send({ imageId: 'm2' });
      await until(() => queue.receives.reduce((a, b) => a + b, 0) === 3);
      await poller.stop();
      return queue.receives;
    }

    it('after a receive that emptied the queue, waits so that the next one carries what arrived meanwhile', async () => {
      expect(await trickle(0)).toEqual([1, 1, 1]);
      expect(await trickle(200)).toEqual([1, 2]);
    });

    it('receives a backlog at once: a full receive is not followed by a pause', async () => {
      const queue = new PollingQueue(new ManualClock());
      for (let i = 0; i < 8; i++) await queue.send({ imageId: `m${i}` });
      const poller = new SqsPoller(queue, doneAtOnce, { ...OPTIONS, concurrency: 2, prefetch: 0, receiveGatherMs: 60_000 });
      poller.start();
      await until(() => queue.messages().length === 0); // within 2 s, far less than one pause
      await poller.stop();
      expect(queue.receives.every((n) => n <= 2)).toBe(true);
      expect(queue.receives.reduce((a, b) => a + b, 0)).toBe(8);
    });

    it('stops at once while it waits', async () => {
      const queue = new PollingQueue(new ManualClock());
      const poller = new SqsPoller(queue, doneAtOnce, { ...OPTIONS, concurrency: 4, prefetch: 0, receiveGatherMs: 60_000 });
      poller.start();
      await queue.send({ imageId: 'm0' });
      await until(() => queue.receives.length === 1);
      const t = performance.now();
      await poller.stop();
      expect(performance.now() - t).toBeLessThan(5_000);
    });
  });
});
