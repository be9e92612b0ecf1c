import { retryOnBindFailure } from './retry-on-bind-failure';

describe('retryOnBindFailure (the fleet, whose instances cannot pick another port themselves)', () => {
  it('starts the topology again when an instance could not bind its port', async () => {
    const failures = ['fleet not running after 60000 ms:\n  api-1: Error: listen EADDRINUSE: address already in use 127.0.0.1:23456'];
    const log: string[] = [];
    const started = await retryOnBindFailure(
      () => {
        const failure = failures.shift();
        return failure ? Promise.reject(new Error(failure)) : Promise.resolve('up');
      },
      (line) => log.push(line),
    );
    expect(started).toBe('up');
    expect(log).toEqual(['a port was taken before it was bound (fleet not running after 60000 ms:); starting again on other ports']);
  });

  it('passes any other failure through at once, and stops after its attempts', async () => {
    let calls = 0;
    const other = retryOnBindFailure(
      () => {
        calls++;
        return Promise.reject(new Error('HAProxy servers not all UP after 30000 ms'));
      },
      () => undefined,
    );
    await expect(other).rejects.toThrow('not all UP');
    expect(calls).toBe(1);
    calls = 0;
    const always = retryOnBindFailure(
      () => {
        calls++;
        return Promise.reject(new Error('EADDRINUSE'));
      },
      () => undefined,
      3,
    );
    await expect(always).rejects.toThrow('EADDRINUSE');
    expect(calls).toBe(3);
  });
});
