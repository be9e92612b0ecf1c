import type { FaultRule } from '@imagery/aws-adapters';
import { randomUUID } from 'node:crypto';
import type { InstanceInfo } from '@imagery/control-plane/control-plane';
import type { LocalControlPlane } from '../control-plane';
import { startTestControlPlane } from '@imagery/testing/platform/control-plane-harness';
import { eventually } from '@imagery/testing/eventually';

const rule = (
  id: string,
  service: FaultRule['service'],
  operations: string[],
  kind: 'unavailable' | 'internal-error' = 'unavailable',
): FaultRule => ({ id, service, operations, percentage: 100, fault: { kind } });

/** ApiFaultControl on a real fleet (one API, one worker): what each instance's control endpoint reports. */
let plane: LocalControlPlane;
const instance = (role: string) => plane.fleet.instances().find((i) => i.role === role)!;
const rulesOn = async (i: InstanceInfo) =>
  ((await (await fetch(`${i.baseUrl}/_chaos/faults`)).json()) as FaultRule[]).map((r) => `${r.source}/${r.id}`).sort();

beforeAll(async () => {
  ({ plane } = await startTestControlPlane('chaos-faults', { apiCount: 1, workerCount: 1 }));
}, 60_000);
afterAll(() => plane?.stop());

describe('FaultRegistry (ApiFaultControl): sources and roles', () => {
  it('pushes a source’s rules to the instances of its roles only, and they break real calls, visible in /metrics', async () => {
    await plane.apiFaults.set('exp-a', [rule('puts-down', 'dynamodb', ['PutItem'])], ['api']);
    expect(await rulesOn(instance('api'))).toEqual(['exp-a/puts-down']);
    expect(await rulesOn(instance('worker'))).toEqual([]);
    expect(plane.apiFaults.active()).toEqual([expect.objectContaining({ id: 'puts-down', source: 'exp-a', percentage: 100 })]);

    const res = await fetch(`${plane.url}/image/${randomUUID()}`, { method: 'PUT' });
    expect(res.status).toBe(503);
    const samples = await plane.metrics.scrape();
    const injected = samples.filter((s) => s.name === 'imagery_faults_injected_total' && s.labels.source === 'exp-a');
    expect(injected).toHaveLength(1);
    expect(injected[0]).toMatchObject({ labels: { instance: instance('api').id, role: 'api', kind: 'unavailable', operation: 'PutItem' } });
    expect(injected[0].value).toBeGreaterThanOrEqual(1);
  });

  it('keeps sources apart: each instance gets the union for its role, and clear removes one source everywhere', async () => {
    await plane.apiFaults.set('exp-b', [rule('sends-fail', 'sqs', ['SendMessage'], 'internal-error')]);
    expect(await rulesOn(instance('api'))).toEqual(['exp-a/puts-down', 'exp-b/sends-fail']);
    expect(await rulesOn(instance('worker'))).toEqual(['exp-b/sends-fail']);

    await plane.apiFaults.clear('exp-a');
    expect(await rulesOn(instance('api'))).toEqual(['exp-b/sends-fail']);
    await plane.apiFaults.clear('exp-b');
    expect(await rulesOn(instance('api'))).toEqual([]);
    expect(await rulesOn(instance('worker'))).toEqual([]);
    expect((await fetch(`${plane.url}/image/${randomUUID()}`, { method: 'PUT' })).status).toBe(201);
  });
});

describe('FaultRegistry (ApiFaultControl): instances that start, stop and are replaced', () => {
  it('a replacement starts with the active rules, including ones set while it was starting', async () => {
    await plane.apiFaults.set('exp-c', [rule('gets-down', 'dynamodb', ['GetItem'])]);
    const old = instance('worker');
    await plane.fleet.terminate(old.id, { force: true });
    await eventually(() => (instance('worker') && instance('worker').id !== old.id ? true : undefined), 5_000, 'replacement launched');
    expect(instance('worker').state).toBe('pending');
    await plane.apiFaults.set('exp-d', [rule('deletes-down', 'sqs', ['DeleteMessage'])], ['worker']);
    await eventually(() => (instance('worker').state === 'running' ? true : undefined), 15_000, 'replacement running');
    await eventually(
      async () => ((await rulesOn(instance('worker'))).length === 2 ? true : undefined),
      3_000,
      'both rules on the replacement',
    );
    expect(await rulesOn(instance('worker'))).toEqual(['exp-c/gets-down', 'exp-d/deletes-down']);
    await Promise.all([plane.apiFaults.clear('exp-c'), plane.apiFaults.clear('exp-d')]);
  });

  it('skips a stopped instance (it could not answer) and brings it up to date when it starts again', async () => {
    const worker = instance('worker');
    await plane.fleet.stop(worker.id);
    await plane.apiFaults.set('exp-e', [rule('receives-down', 'sqs', ['ReceiveMessage'])], ['worker']);
    await plane.fleet.start(worker.id);
    // start is a new boot (EC2 semantics)
    await eventually(() => (instance('worker').state === 'running' ? true : undefined), 15_000, 'worker booted again');
    await eventually(async () => ((await rulesOn(worker)).length === 1 ? true : undefined), 3_000, 'rule pushed after start');
    expect(await rulesOn(worker)).toEqual(['exp-e/receives-down']);
    await plane.apiFaults.clear('exp-e');
  });
});

describe('FaultRegistry (ApiFaultControl): validation', () => {
  it('refuses malformed rules before touching any instance', async () => {
    await expect(
      plane.apiFaults.set('bad', [{ id: 'x', service: 'ec2', fault: { kind: 'boom' } } as unknown as FaultRule]),
    ).rejects.toThrow();
    expect(plane.apiFaults.active()).toEqual([]);
    expect(await rulesOn(instance('api'))).toEqual([]);
  });
});
