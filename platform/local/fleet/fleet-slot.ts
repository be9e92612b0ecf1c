import type { InstanceRole } from '@imagery/control-plane/control-plane';

/**
 * A place in the group with a fixed port: a replacement of `api-1` listens where its predecessor
 * did, so HAProxy's and Toxiproxy's configuration never changes while instances come and go.
 */
export interface FleetSlot {
  readonly role: InstanceRole;
  /** 1-based within the role. */
  readonly index: number;
  /** `api-1`, `worker-2`: the instance's `Name` tag and the Toxiproxy proxy name of an API slot. */
  readonly name: string;
  /** Alternating a, b, a...: an experiment can target one zone's instances like in a multi-AZ group. */
  readonly az: 'a' | 'b';
  /** API: its HTTP port. Worker: WORKER_HTTP_PORT (health, metrics, fault control). */
  readonly port: number;
}

export function fleetSlots(ports: { readonly api: readonly number[]; readonly worker: readonly number[] }): FleetSlot[] {
  const slots = (role: InstanceRole, list: readonly number[]): FleetSlot[] =>
    list.map((port, i) => ({ role, index: i + 1, name: `${role}-${i + 1}`, az: i % 2 === 0 ? 'a' : 'b', port }));
  return [...slots('api', ports.api), ...slots('worker', ports.worker)];
}
