import { ImageQueue } from '@imagery/domain';
import { InMemoryImageQueue, ManualClock } from '@imagery/testing/domain';
import { BatchDeleter } from './batch-deleter';

/** A queue with `count` messages received (in flight), and their handles. */
async function inFlight(count: number): Promise<{ queue: InMemoryImageQueue; handles: string[] }> {
  const queue = new InMemoryImageQueue(new ManualClock());
  for (let i = 0; i < count; i++) await queue.send({ imageId: `id-${i}` });
  const handles: string[] = [];
  while (handles.length < count) handles.push(...(await queue.receive(10, 0)).map((m) => m.receiptHandle));
  return { queue, handles };
}

describe('BatchDeleter', () => {
  afterEach(() => jest.useRealTimers());

  it('gathers deletes for its linger, then deletes them in one DeleteMessageBatch', async () => {
    jest.useFakeTimers();
    const { queue, handles } = await inFlight(3);
    const batches = jest.spyOn(queue, 'deleteBatch');
    const deleter = new BatchDeleter(queue, 500);
    const done = Promise.all(handles.map((h) => deleter.delete(h)));
    expect(batches).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(500);
    await done;
    expect(batches).toHaveBeenCalledTimes(1);
    expect(batches).toHaveBeenCalledWith(handles);
    expect(queue.messages()).toEqual([]);
  });

  it('sends a batch as soon as it holds 10, at most 10 a call', async () => {
    const { queue, handles } = await inFlight(12);
    const batches = jest.spyOn(queue, 'deleteBatch');
    const deleter = new BatchDeleter(queue, 60_000);
    const first = Promise.all(handles.slice(0, 10).map((h) => deleter.delete(h)));
    await first; // no linger waited for: the batch was full
    expect(batches.mock.calls.map(([h]) => h.length)).toEqual([10]);
    const rest = Promise.all(handles.slice(10).map((h) => deleter.delete(h)));
    deleter.stopLingering();
    await rest;
    expect(batches.mock.calls.map(([h]) => h.length)).toEqual([10, 2]);
    expect(queue.messages()).toEqual([]);
  });

  it('rejects the delete of each entry the batch reports failed, and resolves the others', async () => {
    const { queue, handles } = await inFlight(2);
    const failing: ImageQueue = { ...queue, deleteBatch: () => Promise.resolve([handles[1]]) } as unknown as ImageQueue;
    const deleter = new BatchDeleter(failing, 0);
    const outcomes = await Promise.allSettled(handles.map((h) => deleter.delete(h)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
  });

  it('rejects every delete of a batch whose call failed: those messages come back, none is taken for deleted', async () => {
    const { queue, handles } = await inFlight(2);
    const failing = { deleteBatch: () => Promise.reject(new Error('connection reset')) } as unknown as ImageQueue;
    const deleter = new BatchDeleter(failing, 0);
    const outcomes = await Promise.allSettled(handles.map((h) => deleter.delete(h)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(queue.messages()).toHaveLength(2);
  });
});
