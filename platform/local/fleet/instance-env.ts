import type { FaultRule } from '@imagery/aws-adapters';
import { instanceSeed } from '@imagery/kernel/seeded-random';
import { join } from 'node:path';
import type { InstanceRole } from '@imagery/control-plane/control-plane';
import type { FleetSlot } from './fleet-slot';

/** Put in `env` (or a role's env), every instance appends the faults it injects to `<dir>/<instance id>.jsonl`. */
export const FAULT_LOG_DIR_ENV = 'CHAOS_FAULT_LOG_DIR';

export interface InstanceEnvOptions {
  readonly host: string;
  /** The apps' AWS configuration (resourcesToEnv, endpoints through Toxiproxy). */
  readonly env: Readonly<Record<string, string>>;
  /** Extra variables per role (e.g. faster repair sweeps in tests). */
  readonly roleEnv?: Readonly<Partial<Record<FleetSlot['role'], Readonly<Record<string, string>>>>>;
  readonly chaosSeed: number;
  /** API readiness turns 503 this long before the server closes on SIGTERM. */
  readonly drainDelayMs: number;
  readonly faultRules: readonly FaultRule[];
}

/** What an instance id says: the fleet names launch n of slot `api-1` `i-api-1-<n>`. */
export interface ParsedInstanceId {
  readonly role: InstanceRole;
  /** `api-1`, `worker-2`. */
  readonly slot: string;
  readonly index: number;
  /** 0 for the slot's first launch, then +1 per replacement. */
  readonly generation: number;
}

export function instanceIdentity(instanceId: string): ParsedInstanceId | undefined {
  const m = /^i-(api|worker)-(\d+)-(\d+)$/.exec(instanceId);
  if (!m) return undefined;
  return { role: m[1] as InstanceRole, slot: `${m[1]}-${m[2]}`, index: Number(m[2]), generation: Number(m[3]) - 1 };
}

/** The environment of one launch in `slot`: chaos mode on, its identity, its port, the active fault rules. */
export function instanceEnv(slot: FleetSlot, instanceId: string, options: InstanceEnvOptions): Record<string, string> {
  const role: Record<string, string> =
    slot.role === 'api'
      ? { PORT: String(slot.port), DRAIN_DELAY_MS: String(options.drainDelayMs) }
      : { WORKER_HTTP_PORT: String(slot.port) };
  const generation = instanceIdentity(instanceId)?.generation ?? 0;
  const base = { ...options.env, ...options.roleEnv?.[slot.role] };
  const faultLogDir = base[FAULT_LOG_DIR_ENV];
  return {
    ...options.env,
    HOST: options.host,
    CHAOS_MODE: 'true',
    // One seed per (slot, generation): runs with the same seed see the same faults, two instances
    // do not fail in lockstep, and a replacement does not replay its predecessor's faults (the
    // same crash at the same call, forever).
    CHAOS_SEED: String(instanceSeed(options.chaosSeed, slot.name, generation)),
    INSTANCE_ID: instanceId,
    INSTANCE_GENERATION: String(generation),
    ...(faultLogDir ? { CHAOS_FAULT_LOG: join(faultLogDir, `${instanceId}.jsonl`) } : {}),
    // A replacement starts with what is active now, not what was active when the fleet started.
    FAULT_RULES: JSON.stringify(options.faultRules),
    ...role,
    ...options.roleEnv?.[slot.role],
  };
}
