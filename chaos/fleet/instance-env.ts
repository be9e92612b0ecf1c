import type { FaultRule } from '@imagery/aws-adapters';
import type { FleetSlot } from './fleet-slot';

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

/** The environment of one launch in `slot`: chaos mode on, its identity, its port, the active fault rules. */
export function instanceEnv(slot: FleetSlot, instanceId: string, options: InstanceEnvOptions): Record<string, string> {
  const role: Record<string, string> =
    slot.role === 'api'
      ? { PORT: String(slot.port), DRAIN_DELAY_MS: String(options.drainDelayMs) }
      : { WORKER_HTTP_PORT: String(slot.port) };
  return {
    ...options.env,
    HOST: options.host,
    CHAOS_MODE: 'true',
    // One seed per slot, the same for every replacement in it: runs with the same seed see the same
    // faults, and two instances do not fail in lockstep.
    CHAOS_SEED: String(options.chaosSeed * 1000 + (slot.role === 'api' ? 0 : 500) + slot.index),
    INSTANCE_ID: instanceId,
    // A replacement starts with what is active now, not what was active when the fleet started.
    FAULT_RULES: JSON.stringify(options.faultRules),
    ...role,
    ...options.roleEnv?.[slot.role],
  };
}
