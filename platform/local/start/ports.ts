import { freePort, isPortFree } from '@imagery/kernel/free-port';
import { type FleetSlot, fleetSlots } from '../fleet/fleet-slot';

/** Ports of the local chaos topology; an absent (or 0) one is picked free. */
export interface ControlPlanePorts {
  /** HAProxy's frontend: the platform's URL. */
  readonly loadBalancer?: number;
  readonly haproxyStats?: number;
  /** Toxiproxy's API. */
  readonly toxiproxy?: number;
  /** Zone a's AWS proxies (zone b's are picked free). */
  readonly dynamodbProxy?: number;
  readonly s3Proxy?: number;
  readonly sqsProxy?: number;
  /** Per API slot: the instance's own port, and its Toxiproxy proxy's (what HAProxy targets). */
  readonly apiInstances?: readonly number[];
  readonly apiProxies?: readonly number[];
  /** Per worker slot: WORKER_HTTP_PORT (health, metrics, fault control). */
  readonly workerInstances?: readonly number[];
}

/** Fixed ports are checked first: a leftover from an earlier run would otherwise surface late and obscurely. */
export async function assertPortsFree(host: string, ports: ControlPlanePorts): Promise<void> {
  const fixed = Object.entries(ports).flatMap(([name, value]: [string, number | readonly number[] | undefined]) =>
    (Array.isArray(value) ? value : [value]).filter((p): p is number => typeof p === 'number' && p > 0).map((p) => ({ name, port: p })),
  );
  const busy: string[] = [];
  for (const { name, port } of fixed) if (!(await isPortFree(port, host))) busy.push(`${port} (${name})`);
  if (busy.length > 0) throw new Error(`ports in use on ${host}: ${busy.join(', ')} (an earlier run still up?)`);
}

/** One slot per API and worker instance, each on its fixed port or a free one. */
export async function pickFleetSlots(
  host: string,
  ports: ControlPlanePorts,
  counts: { readonly api: number; readonly worker: number },
): Promise<FleetSlot[]> {
  const pick = async (port: number | undefined) => port || (await freePort(host));
  return fleetSlots({
    api: await Promise.all(Array.from({ length: counts.api }, (_, i) => pick(ports.apiInstances?.[i]))),
    worker: await Promise.all(Array.from({ length: counts.worker }, (_, i) => pick(ports.workerInstances?.[i]))),
  });
}
