import { waitForServersUp } from './servers-up';

/** A HAProxy whose stats answer each of `reads` in turn (a failed read for an Error), then the last one. */
const haproxyReading = (...reads: (Record<string, string> | Error)[]) => ({
  serverStates: (): Promise<Record<string, string>> => {
    const next = reads.length > 1 ? reads.shift()! : reads[0];
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  },
});

describe('waitForServersUp', () => {
  it('reads the stats until every server is UP, through a failed read', async () => {
    const haproxy = haproxyReading(new Error('stats not up yet'), { 'api-1': 'UP', 'api-2': 'DOWN' }, { 'api-1': 'UP', 'api-2': 'UP' });
    expect(await waitForServersUp(haproxy, 2, 5_000, { intervalMs: 1 })).toEqual({
      up: true,
      states: { 'api-1': 'UP', 'api-2': 'UP' },
      checks: 3,
    });
  });

  it('waits for `alsoRequire` at the same check', async () => {
    let fleetRuns = 0;
    const result = await waitForServersUp(haproxyReading({ 'api-1': 'UP' }), 1, 5_000, {
      intervalMs: 1,
      alsoRequire: () => ++fleetRuns > 2,
    });
    expect(result).toMatchObject({ up: true, checks: 3 });
  });

  it('gives up after the timeout with the states last read', async () => {
    const result = await waitForServersUp(haproxyReading({ 'api-1': 'UP', 'api-2': 'DOWN' }), 2, 50, { intervalMs: 10 });
    expect(result.up).toBe(false);
    expect(result.states).toEqual({ 'api-1': 'UP', 'api-2': 'DOWN' });
    expect(result.checks).toBeGreaterThan(1);
  });
});
