import { readFileSync } from 'node:fs';
import type { FaultRule } from '@imagery/aws-adapters';
import { deployFreshStack } from '@imagery/testing/platform/local-aws';
import type { FleetEvent } from '@imagery/control-plane/control-plane';
import { TEST_ROLE_ENV, requireBuiltApps } from '@imagery/testing/platform/control-plane-harness';
import { eventually } from '@imagery/testing/eventually';
import { freePort } from '@imagery/kernel/free-port';
import { fleetSlots } from './fleet-slot';
import { LocalFleet } from './local-fleet';
import { isAlive } from '@imagery/kernel/process/is-alive';

const GRACE_MS = 500;
const DRAIN_MS = 800;

/** A 1 ms latency rule: harmless, but visible on the instance's control endpoint. */
const latencyRule = (id: string, service: FaultRule['service'], operation: string, source: string): FaultRule => ({
  id,
  service,
  operations: [operation],
  percentage: 100,
  fault: { kind: 'latency', ms: 1, jitterMs: 0 },
  source,
});

/**
 * The fleet alone (no proxies, no load balancer): one API and one worker on the jest run's moto.
 * One fleet for the whole file: each test starts from the state the previous one left.
 */
let fleet: LocalFleet;
const events: FleetEvent[] = [];
const lines: string[] = [];
let rules: FaultRule[] = [];

beforeAll(async () => {
  requireBuiltApps();
  const stack = await deployFreshStack('chaos-fleet');
  fleet = await LocalFleet.start({
    host: '127.0.0.1',
    slots: fleetSlots({ api: [await freePort()], worker: [await freePort()] }),
    env: stack.env,
    roleEnv: TEST_ROLE_ENV,
    // Not attached to a registry here: what a replacement knows of the rules comes from its launch env.
    faultRules: () => rules,
    replaceAfterMs: GRACE_MS,
    drainDelayMs: DRAIN_MS,
    log: (line) => lines.push(line),
    onInstanceLine: () => undefined,
  });
  fleet.onEvent((e) => events.push(e));
}, 60_000);
afterAll(() => fleet?.close());

const byRole = (role: string) => fleet.instances().find((i) => i.role === role)!;
const after = (from: number, type: FleetEvent['type']) => () => events.slice(from).find((e) => e.type === type);

describe('LocalFleet: a launch', () => {
  it('runs each slot as its own process, with an EC2-like id and Role/AZ/Name tags', async () => {
    const [api, worker] = [byRole('api'), byRole('worker')];
    expect(api).toMatchObject({ id: 'i-api-1-1', state: 'running', az: 'a', tags: { Role: 'api', AZ: 'a', Name: 'api-1' } });
    expect(worker).toMatchObject({ id: 'i-worker-1-1', state: 'running', tags: { Role: 'worker', AZ: 'a', Name: 'worker-1' } });
    expect(api.pid).not.toBe(worker.pid);
    for (const i of [api, worker]) expect((await fetch(`${i.baseUrl}/health/live`)).status).toBe(200);
  });
});

describe('LocalFleet: terminations and replacements', () => {
  it(
    'terminate is a hard crash (SIGKILL, as EC2 does to the process) and the instance is replaced after the grace period, ' +
      'on the same port, with the active fault rules',
    async () => {
      rules = [latencyRule('slow-puts', 'dynamodb', 'PutItem', 'exp-1')];
      const old = byRole('api');
      const from = events.length;
      await fleet.terminate(old.id);
      const terminated = await eventually(after(from, 'terminated'), 5_000, 'terminated');
      expect(terminated).toMatchObject({ instance: { id: old.id, state: 'terminated' }, detail: 'SIGKILL' });
      expect(() => process.kill(old.pid!, 0)).toThrow();

      const replaced = await eventually(after(from, 'replaced'), 10_000, 'replaced');
      if (replaced.type !== 'replaced') throw new Error('unreachable');
      expect(replaced.at - terminated.at).toBeGreaterThanOrEqual(GRACE_MS - 20);
      expect(replaced.replacement).toMatchObject({ id: 'i-api-1-2', baseUrl: old.baseUrl, tags: old.tags });
      expect(lines).toContainEqual(expect.stringMatching(/api-1: replaced i-api-1-1 with i-api-1-2/));

      await eventually(() => (byRole('api')?.state === 'running' ? true : undefined), 15_000, 'replacement running');
      expect(events.slice(from).map((e) => e.type)).toEqual(['terminated', 'launched', 'replaced', 'healthy']);
      const active: unknown = await (await fetch(`${old.baseUrl}/_chaos/faults`)).json();
      expect(active).toEqual([expect.objectContaining({ id: 'slow-puts', source: 'exp-1' })]);
      rules = [];
    },
  );

  it(
    'a graceful terminate (scale-in) sends SIGTERM: readiness turns 503 while draining, ' + 'then the instance exits and is replaced',
    async () => {
      const old = byRole('api');
      const from = events.length;
      const started = Date.now();
      const terminating = fleet.terminate(old.id, { graceful: true });
      expect(fleet.instances().find((i) => i.id === old.id)?.state).toBe('shutting-down');
      const draining = await eventually(
        async () => {
          const res = await fetch(`${old.baseUrl}/health`).catch(() => undefined);
          return res?.status === 503 ? res.status : undefined;
        },
        DRAIN_MS,
        'readiness 503 while draining',
      );
      expect(draining).toBe(503);
      await terminating;
      expect(Date.now() - started).toBeGreaterThanOrEqual(DRAIN_MS);
      expect(events.slice(from)[0]).toMatchObject({ type: 'terminated', instance: { id: old.id } });
      await eventually(after(from, 'healthy'), 15_000, 'replacement healthy');
      expect(byRole('api').id).toBe('i-api-1-3');
    },
  );

  it('replaces an instance that dies on its own (reported as died)', async () => {
    const old = byRole('worker');
    const from = events.length;
    process.kill(old.pid!, 'SIGKILL');
    expect(await eventually(after(from, 'died'), 5_000, 'died')).toMatchObject({ instance: { id: old.id }, detail: 'SIGKILL' });
    await eventually(after(from, 'healthy'), 15_000, 'replacement healthy');
    expect(byRole('worker')).toMatchObject({ id: 'i-worker-1-2', state: 'running' });
  });
});

describe('LocalFleet: stop, start and reboot', () => {
  it(
    'stop is an OS shutdown: SIGTERM, the process exits, the instance stays stopped with its id and is not replaced; ' +
      'start boots it again',
    async () => {
      const worker = byRole('worker');
      const from = events.length;
      await fleet.stop(worker.id);
      expect(byRole('worker')).toMatchObject({ id: worker.id, state: 'stopped' });
      expect(() => process.kill(worker.pid!, 0)).toThrow();
      // Nest ends its shutdown hooks by re-raising SIGTERM: the graceful path, not a SIGKILL.
      expect(events.slice(from)).toEqual([expect.objectContaining({ type: 'stopped', detail: 'SIGTERM' })]);
      await new Promise((r) => setTimeout(r, GRACE_MS * 2));
      expect(events.slice(from).map((e) => e.type)).toEqual(['stopped']);

      // A new boot starts with the rules active now, not those of its first launch.
      rules = [latencyRule('slow-receives', 'sqs', 'ReceiveMessage', 'exp-2')];
      await fleet.start(worker.id);
      const started = byRole('worker');
      expect(started).toMatchObject({ id: worker.id, state: 'pending' });
      expect(started.pid).not.toBe(worker.pid);
      await eventually(() => (byRole('worker').state === 'running' ? true : undefined), 15_000, 'running again');
      expect((await fetch(`${worker.baseUrl}/health/live`)).status).toBe(200);
      expect(events.slice(from).map((e) => e.type)).toEqual(['stopped', 'started', 'healthy']);
      const active: unknown = await (await fetch(`${worker.baseUrl}/_chaos/faults`)).json();
      expect(active).toEqual([expect.objectContaining({ id: 'slow-receives' })]);
      rules = [];
    },
  );

  it('reboot shuts the instance down and boots it again: same id, new process, still running', async () => {
    const worker = byRole('worker');
    const from = events.length;
    await fleet.reboot(worker.id);
    await eventually(() => (byRole('worker').pid !== worker.pid ? true : undefined), 5_000, 'new boot');
    expect(byRole('worker')).toMatchObject({ id: worker.id, state: 'running' });
    await eventually(after(from, 'healthy'), 15_000, 'healthy again');
    expect((await fetch(`${worker.baseUrl}/health/live`)).status).toBe(200);
    expect(events.slice(from).map((e) => e.type)).toEqual(['stopped', 'started', 'healthy']);
  });
});

describe('LocalFleet: spot interruptions and zone capacity', () => {
  it(
    'a spot interruption notice is served on the instance metadata endpoint; ' +
      'the instance drains by itself before the deadline and is replaced',
    async () => {
      const worker = byRole('worker');
      const url = `${fleet.metadataUrl(worker.id)}/latest/meta-data/spot/instance-action`;
      expect((await fetch(url)).status).toBe(404);
      const from = events.length;
      const started = Date.now();
      await fleet.interruptSpot(worker.id, 10_000);
      const notice = (await (await fetch(url)).json()) as { action: string; time: string };
      expect(notice.action).toBe('terminate');
      expect(Date.parse(notice.time) - started).toBeGreaterThan(9_000);
      const ended = await eventually(after(from, 'terminated'), 9_000, 'terminated');
      // The app's watcher heard the notice and shut down gracefully (its own SIGTERM), well before the deadline.
      expect(ended).toMatchObject({ instance: { id: worker.id }, detail: 'spot interruption (SIGTERM)' });
      expect(ended.at - started).toBeLessThan(9_000);
      await eventually(after(from, 'healthy'), 15_000, 'replacement healthy');
    },
  );

  it('a zone without capacity: a replacement goes to the other zone, and a stopped instance there cannot start', async () => {
    const api = byRole('api');
    expect(api.az).toBe('a');
    const from = events.length;
    fleet.setZoneCapacity('a', false);
    try {
      await fleet.terminate(api.id);
      const replaced = await eventually(after(from, 'replaced'), 10_000, 'replaced');
      if (replaced.type !== 'replaced') throw new Error('unreachable');
      expect(replaced.replacement).toMatchObject({ az: 'b', tags: { AZ: 'b', Name: 'api-1' } });
      expect(lines).toContainEqual(expect.stringMatching(/in zone b \(no capacity in a\)/));
      await eventually(() => (byRole('api')?.state === 'running' ? true : undefined), 15_000, 'replacement running');

      const worker = byRole('worker');
      expect(worker.az).toBe('a');
      await fleet.stop(worker.id);
      await expect(fleet.start(worker.id)).rejects.toThrow(/InsufficientInstanceCapacity/);
      fleet.setZoneCapacity('a', true);
      await fleet.start(worker.id);
      await eventually(() => (byRole('worker').state === 'running' ? true : undefined), 15_000, 'worker running');
    } finally {
      fleet.setZoneCapacity('a', true);
    }
  });
});

describe('LocalFleet: relaunch (another build on the same platform)', () => {
  /** The process's own environment, as the kernel holds it (Linux): what the instance booted with. */
  const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');

  it(
    'ends every instance (a stopped one too) before anything else runs, then launches each slot again on its port ' +
      'with the extra environment over its role env, and replaces none of the old ones',
    async () => {
      await fleet.stop(byRole('worker').id);
      const byName = (list: ReturnType<LocalFleet['instances']>) => [...list].sort((a, b) => a.tags.Name.localeCompare(b.tags.Name));
      const before = byName(fleet.instances());
      const from = events.length;
      let runningBetween: number[] = [];
      await fleet.relaunch({ CHAOS_BUILD: 'seed' }, 30_000, () => {
        runningBetween = before.filter((i) => isAlive(i.pid!)).map((i) => i.pid!);
        return Promise.resolve();
      });
      expect(runningBetween).toEqual([]);
      const after = byName(fleet.instances());
      expect(after.map((i) => [i.tags.Name, i.baseUrl, i.state])).toEqual(before.map((i) => [i.tags.Name, i.baseUrl, 'running']));
      for (const [i, instance] of after.entries()) {
        expect(instance.id).not.toBe(before[i].id);
        expect(environOf(instance.pid!)).toContain('CHAOS_BUILD=seed');
      }
      expect(environOf(byRole('worker').pid!)).toContain(`RECEIVE_WAIT_SECONDS=${TEST_ROLE_ENV.worker.RECEIVE_WAIT_SECONDS}`);
      await new Promise((r) => setTimeout(r, GRACE_MS * 3));
      expect(events.slice(from).filter((e) => e.type === 'replaced')).toEqual([]);
      expect(byName(fleet.instances()).map((i) => i.id)).toEqual(after.map((i) => i.id));
    },
    60_000,
  );
});

describe('LocalFleet: ids and close', () => {
  it('refuses unknown ids like EC2, and terminating a terminated instance is a no-op', async () => {
    await expect(fleet.terminate('i-nope')).rejects.toThrow(/InvalidInstanceID.NotFound/);
    await expect(fleet.terminate('i-api-1-1')).resolves.toBeUndefined();
  });

  it('close stops every instance, stopped ones included, and launches no replacement', async () => {
    const worker = byRole('worker');
    await fleet.stop(worker.id);
    const pids = fleet.instances().map((i) => i.pid!);
    await fleet.close();
    await expect(fetch(fleet.metadataUrl(worker.id))).rejects.toThrow(); // the metadata endpoint is gone too
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    await new Promise((r) => setTimeout(r, GRACE_MS * 2));
    expect(fleet.instances()).toEqual([]);
  });
});
