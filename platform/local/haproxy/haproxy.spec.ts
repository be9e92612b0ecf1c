import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolPath } from '@imagery/kernel/repo-root';
import type { LocalControlPlane } from '../control-plane';
import { startTestControlPlane } from '@imagery/testing/platform/control-plane-harness';
import { eventually } from '@imagery/testing/eventually';
import { haproxyConfig } from './haproxy-config';
import { useTempDirs } from '@imagery/testing/temp-dirs';

const tempDir = useTempDirs();

describe('HAProxy configuration', () => {
  const config = haproxyConfig({
    bind: '127.0.0.1:18080',
    statsBind: '127.0.0.1:18404',
    servers: [
      { name: 'api-1', address: '127.0.0.1:18201' },
      { name: 'api-2', address: '127.0.0.1:18202' },
    ],
  });

  it('checks readiness every 500 ms, and retries failed attempts on another server except for POST /image', () => {
    expect(config).toContain('http-check send meth GET uri /health/ready');
    expect(config).toContain('default-server check inter 500ms fall 2 rise 2');
    expect(config).toContain('option redispatch 1');
    expect(config).toContain('retry-on conn-failure empty-response response-timeout');
    expect(config).toContain('http-request disable-l7-retry if METH_POST { path /image }');
    expect(config).toMatch(/server api-1 127\.0\.0\.1:18201\n\s+server api-2 127\.0\.0\.1:18202/);
  });

  it('is valid for the real haproxy (haproxy -c)', () => {
    const file = join(tempDir('haproxy-'), 'haproxy.cfg');
    writeFileSync(file, config);
    expect(execFileSync(toolPath('haproxy'), ['-c', '-f', file], { encoding: 'utf8' })).toContain('Configuration file is valid');
  });
});

/** Sends requests back to back from `clients` loops until `done`, counting answers by status. */
function requestStream(clients: number, request: () => Promise<Response>) {
  const counts = new Map<string, number>();
  let done = false;
  const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const loops = Array.from({ length: clients }, async () => {
    while (!done) {
      try {
        const res = await request();
        await res.arrayBuffer();
        count(String(res.status));
      } catch (err) {
        count(`error: ${(err as Error).message}`);
      }
    }
  });
  return {
    counts,
    stop: async () => {
      done = true;
      await Promise.all(loops);
      return Object.fromEntries(counts);
    },
  };
}

/** The load balancer in the real topology: HAProxy → Toxiproxy api-N → two API processes. */
describe('HAProxy in front of the API fleet', () => {
  let plane: LocalControlPlane;

  beforeAll(async () => {
    ({ plane } = await startTestControlPlane('chaos-haproxy', { apiCount: 2, workerCount: 0 }));
  }, 60_000);
  afterAll(() => plane?.stop());

  const apiSlot = (name: string) => plane.fleet.instances().find((i) => i.tags.Name === name)!;
  const allUp = async () => {
    const states = await plane.haproxy.serverStates();
    return Object.values(states).every((s) => s === 'UP') ? states : undefined;
  };

  it('routes only to healthy instances: no request fails while one instance is killed, then another terminated', async () => {
    const puts = requestStream(3, () => fetch(`${plane.url}/image/${randomUUID()}`, { method: 'PUT' }));
    const lives = requestStream(1, () => fetch(`${plane.url}/health/live`));
    await new Promise((r) => setTimeout(r, 500));

    // A crash: connections to api-1 fail until HAProxy's checks take it out.
    const killed = apiSlot('api-1');
    await plane.fleet.terminate(killed.id, { force: true });
    expect(
      await eventually(async () => ((await plane.haproxy.serverStates())['api-1'] !== 'UP' ? true : undefined), 5_000, 'api-1 out'),
    ).toBe(true);
    await eventually(
      () => (apiSlot('api-1')?.id !== killed.id && apiSlot('api-1')?.state === 'running' ? true : undefined),
      15_000,
      'api-1 replaced',
    );
    await eventually(allUp, 10_000, 'api-1 back in rotation');

    // A graceful terminate: api-2 reports unready, is taken out, then closes.
    const drained = apiSlot('api-2');
    await plane.fleet.terminate(drained.id);
    await eventually(
      () => (apiSlot('api-2')?.id !== drained.id && apiSlot('api-2')?.state === 'running' ? true : undefined),
      15_000,
      'api-2 replaced',
    );
    await eventually(allUp, 10_000, 'api-2 back in rotation');

    const [putCounts, liveCounts] = [await puts.stop(), await lives.stop()];
    // 201, or 200 when HAProxy replayed a PUT whose first attempt created the item on the instance
    // that died before answering: the idempotent create returns the same item, a success either way.
    const { 200: replayed = 0, 201: created = 0, ...putFailures } = putCounts;
    expect(putFailures).toEqual({});
    expect(created + replayed).toBeGreaterThan(50);
    expect(Object.keys(liveCounts)).toEqual(['200']); // every answer a 200
  }, 60_000);
});
