import { Readable } from 'node:stream';
import { anImage } from './image-fixtures';
import { FailurePlan, InjectedFaultError } from './failure-plan';
import { FailingImageQueue } from './failing-image-queue';
import { FailingImageTable } from './failing-image-table';
import { FailingObjectStore } from './failing-object-store';
import { InMemoryImageQueue } from './in-memory-image-queue';
import { InMemoryImageTable } from './in-memory-image-table';
import { InMemoryObjectStore } from './in-memory-object-store';
import { ManualClock } from './manual-clock';

describe('failure injection', () => {
  it('an error failure fails the next call before it reaches the fake', async () => {
    const plan = new FailurePlan().failNext('table.create');
    const inner = new InMemoryImageTable();
    const table = new FailingImageTable(inner, plan);
    await expect(table.create(anImage('created'))).rejects.toEqual(new InjectedFaultError('table.create', 'error'));
    expect(inner.items()).toEqual([]);
    await expect(table.create(anImage('created'))).resolves.toMatchObject({ created: true });
  });

  it('an ambiguous failure applies the call, then fails it', async () => {
    const plan = new FailurePlan().failNext('store.put', 'ambiguous');
    const inner = new InMemoryObjectStore();
    await expect(new FailingObjectStore(inner, plan).put('k', Readable.from([Buffer.from('x')]), 't')).rejects.toBeInstanceOf(
      InjectedFaultError,
    );
    expect(inner.keys()).toEqual(['k']);
  });

  it('an ambiguous receive hides the messages it took', async () => {
    const clock = new ManualClock();
    const inner = new InMemoryImageQueue(clock);
    const queue = new FailingImageQueue(inner, new FailurePlan().failNext('queue.receive', 'ambiguous'));
    await queue.send({ imageId: 'a' });
    await expect(queue.receive(1, 0)).rejects.toBeInstanceOf(InjectedFaultError);
    expect(await queue.receive(1, 0)).toEqual([]);
    expect(inner.messages()[0].receiveCount).toBe(1);
  });

  it('counts failures per operation, records what it injected, and can be cleared', async () => {
    const plan = new FailurePlan().failNext('queue.send', 'error', 2).failNext('queue.delete');
    const queue = new FailingImageQueue(new InMemoryImageQueue(new ManualClock()), plan);
    await expect(queue.send({ imageId: 'a' })).rejects.toThrow();
    await expect(queue.send({ imageId: 'a' })).rejects.toThrow();
    await expect(queue.send({ imageId: 'a' })).resolves.toBeUndefined();
    expect(plan.injected).toEqual([
      { operation: 'queue.send', kind: 'error' },
      { operation: 'queue.send', kind: 'error' },
    ]);
    expect(plan.armedCount()).toBe(1);
    plan.clear();
    await expect(queue.delete('h')).resolves.toBeUndefined();
  });

  it('passes every call through the gate first, with the operation name', async () => {
    const plan = new FailurePlan();
    const seen: string[] = [];
    plan.gate = (label) => {
      seen.push(label);
      return Promise.resolve();
    };
    const table = new FailingImageTable(new InMemoryImageTable(), plan);
    await table.get('x');
    await table.listStale('uploaded', 1, 1);
    expect(seen).toEqual(['table.get', 'table.listStale']);
  });
});
