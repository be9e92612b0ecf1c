import { randomUUID } from 'node:crypto';
import type { LocalControlPlane } from '../control-plane';
import { startTestControlPlane } from '@imagery/testing/platform/control-plane-harness';

/** The real Toxiproxy server in the SDK's path: one API and one worker, their AWS endpoints through it. */
let plane: LocalControlPlane;
const instance = (role: string) => plane.fleet.instances().find((i) => i.role === role)!;

beforeAll(async () => {
  ({ plane } = await startTestControlPlane('chaos-toxiproxy', { apiCount: 1, workerCount: 1 }));
}, 60_000);
afterAll(() => plane?.stop());

/** Median time of a few GET /image/:id straight to the API instance: one DynamoDB GetItem each. */
async function getItemLatencyMs(id: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const res = await fetch(`${instance('api').baseUrl}/image/${id}`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[1];
}

describe('Toxiproxy network control', () => {
  it('has one proxy per AWS service per zone and one per API slot', async () => {
    expect(await plane.network.proxies()).toEqual(['api-1', 'dynamodb-a', 'dynamodb-b', 's3-a', 's3-b', 'sqs-a', 'sqs-b']);
    expect(instance('api')).toBeDefined();
  });

  it('a 300 ms latency toxic on dynamodb shows as added latency, and is gone once removed', async () => {
    const id = randomUUID();
    expect((await fetch(`${plane.url}/image/${id}`, { method: 'PUT' })).status).toBe(201);
    const before = await getItemLatencyMs(id);

    await plane.network.addToxic('dynamodb', 'slow', { type: 'latency', attributes: { latency: 300 } });
    const slowed = await getItemLatencyMs(id);
    await plane.network.removeToxic('dynamodb', 'slow');
    const after = await getItemLatencyMs(id);

    expect(before).toBeLessThan(150);
    expect(slowed).toBeGreaterThanOrEqual(300);
    expect(after).toBeLessThan(150);
  });

  it('re-adding a toxic replaces it; removing a missing one is no error; an unknown proxy is', async () => {
    await plane.network.addToxic('s3', 'cut', { type: 'reset_peer', attributes: { timeout: 0 } });
    await plane.network.addToxic('s3', 'cut', { type: 'latency', attributes: { latency: 1 } });
    await plane.network.removeToxic('s3', 'cut');
    await plane.network.removeToxic('s3', 'cut');
    await expect(plane.network.addToxic('kinesis', 'x', { type: 'latency', attributes: { latency: 1 } })).rejects.toThrow(
      /no proxy named kinesis/,
    );
  });

  it('disabling the sqs proxy fails the deep /health, but HAProxy keeps serving through the shallow check', async () => {
    const health = async (url: string) => (await fetch(`${url}/health`)).status;
    const apiUrl = instance('api').baseUrl;
    const workerUrl = instance('worker').baseUrl;
    await plane.network.setEnabled('sqs', false);
    try {
      expect(await health(apiUrl)).toBe(503);
      expect(await health(workerUrl)).toBe(503);
      // A shared dependency's outage must not empty the fleet: the instance stays in rotation and
      // what does not need SQS (create, read, bad ids) is served as usual.
      await new Promise((r) => setTimeout(r, 1_500)); // three HAProxy check intervals
      expect((await plane.haproxy.serverStates())['api-1']).toBe('UP');
      expect((await fetch(`${plane.url}/image/${randomUUID()}`, { method: 'PUT' })).status).toBe(201);
      expect((await fetch(`${plane.url}/image/not-a-uuid`)).status).toBe(400);
    } finally {
      await plane.network.setEnabled('sqs', true);
    }
    expect(await health(apiUrl)).toBe(200);
    expect(await health(workerUrl)).toBe(200);
  });
});
