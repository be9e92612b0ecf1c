import { join } from 'node:path';
import type { FleetSlot } from './fleet-slot';
import { FAULT_LOG_DIR_ENV, InstanceEnvOptions, instanceEnv, instanceIdentity } from './instance-env';

const slot = (role: 'api' | 'worker', index: number): FleetSlot => ({ role, index, name: `${role}-${index}`, az: 'a', port: 9000 + index });
const options = (over: Partial<InstanceEnvOptions> = {}): InstanceEnvOptions => ({
  host: '127.0.0.1',
  env: {},
  chaosSeed: 1,
  drainDelayMs: 0,
  faultRules: [],
  ...over,
});

describe('instanceEnv', () => {
  it('seeds each launch from (run seed, slot, generation): replacements and other slots differ, the same launch is the same', () => {
    const seedOf = (s: FleetSlot, launch: number, chaosSeed = 1) =>
      instanceEnv(s, `i-${s.name}-${launch}`, options({ chaosSeed })).CHAOS_SEED;
    const worker2 = [1, 2, 3].map((n) => seedOf(slot('worker', 2), n));
    expect(new Set(worker2).size).toBe(3);
    expect(seedOf(slot('worker', 2), 2)).toBe(worker2[1]);
    expect(seedOf(slot('worker', 1), 1)).not.toBe(worker2[0]);
    expect(seedOf(slot('api', 2), 1)).not.toBe(worker2[0]);
    expect(seedOf(slot('worker', 2), 1, 2)).not.toBe(worker2[0]);
  });

  it('tells the instance its generation and, with a fault-log directory, its own fault log', () => {
    const env = instanceEnv(slot('api', 1), 'i-api-1-3', options({ roleEnv: { api: { [FAULT_LOG_DIR_ENV]: join('runs', 'faults') } } }));
    expect(env).toMatchObject({
      INSTANCE_ID: 'i-api-1-3',
      INSTANCE_GENERATION: '2',
      CHAOS_FAULT_LOG: join('runs', 'faults', 'i-api-1-3.jsonl'),
      CHAOS_MODE: 'true',
    });
    expect(instanceEnv(slot('api', 1), 'i-api-1-1', options()).CHAOS_FAULT_LOG).toBeUndefined();
  });

  it('reads role, slot and generation back from an instance id', () => {
    expect(instanceIdentity('i-worker-12-4')).toEqual({ role: 'worker', slot: 'worker-12', index: 12, generation: 3 });
    expect(instanceIdentity('i-0abc123def')).toBeUndefined();
  });
});
