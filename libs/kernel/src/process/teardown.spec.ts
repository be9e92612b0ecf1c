import { Teardown } from './teardown';

describe('Teardown', () => {
  it('stops last-in first-out, logs a failure and goes on, and runs once', async () => {
    const log: string[] = [];
    const order: string[] = [];
    const teardown = new Teardown((line) => log.push(line));
    expect(teardown.add('a', (p) => order.push(p))).toBe('a');
    teardown.add('b', () => Promise.reject(new Error('b is stuck')), 'part b');
    teardown.add('c', () => {
      throw new Error('no name');
    });
    teardown.add('d', (p) => order.push(p));

    await Promise.all([teardown.stopAll(), teardown.stopAll()]);
    await teardown.stopAll();
    expect(order).toEqual(['d', 'a']);
    expect(log).toEqual(['stop failed: no name', 'stop part b failed: b is stuck']);
  });

  it('stops a part registered while stopping', async () => {
    const order: string[] = [];
    const teardown = new Teardown(() => undefined);
    teardown.add('first', (p) => order.push(p));
    teardown.add('second', (p) => {
      order.push(p);
      teardown.add('late', (q) => order.push(q));
    });
    await teardown.stopAll();
    expect(order).toEqual(['second', 'late', 'first']);
  });
});
