import { waitForHttp } from '@imagery/kernel/wait-for-http';
import type { FleetSlot } from '../fleet/fleet-slot';
import { HAPROXY_CHECK_DEFAULTS } from '../haproxy/haproxy-config';
import { type HaproxyServer, startHaproxy } from '../haproxy/haproxy-server';
import { waitForServersUp } from '../haproxy/servers-up';
import type { ControlPlanePorts } from './ports';

export interface LoadBalancerNeeds {
  readonly host: string;
  readonly ports: Pick<ControlPlanePorts, 'loadBalancer' | 'haproxyStats'>;
  readonly apiSlots: readonly FleetSlot[];
  /** Each API slot's Toxiproxy proxy address, by slot name. */
  readonly proxies: Readonly<Record<string, string>>;
  readonly quiet?: boolean;
}

/**
 * HAProxy in front of the API proxies. Started after the fleet: HAProxy assumes its servers up at
 * start, so its first checks would otherwise log every server going DOWN and back UP.
 */
export function startLoadBalancer(needs: LoadBalancerNeeds): Promise<HaproxyServer> {
  const { host, ports } = needs;
  return startHaproxy({
    // 0: HAProxy's start picks the ports, and picks again if one is taken before it binds
    bind: `${host}:${ports.loadBalancer ?? 0}`,
    statsBind: `${host}:${ports.haproxyStats ?? 0}`,
    servers: needs.apiSlots.map((s) => ({ name: s.name, address: needs.proxies[s.name] })),
    ...HAPROXY_CHECK_DEFAULTS,
    onLine: needs.quiet ? () => undefined : undefined,
  });
}

/** Every API instance in rotation, and /health answered through HAProxy and Toxiproxy down to the emulator. */
export async function waitUntilServing(haproxy: HaproxyServer, apiCount: number, timeoutMs: number): Promise<void> {
  // HAProxy needs `rise` good checks per server: callers start with every instance in rotation
  const { up, states } = await waitForServersUp(haproxy, apiCount, timeoutMs);
  if (!up) throw new Error(`HAProxy servers not all UP after ${timeoutMs} ms: ${JSON.stringify(states)}`);
  // The deep check: seconds on a loaded machine (a fixed 5 s failed 1 start in 30 under load), so
  // the same allowance as the rest of the start.
  await waitForHttp(`${haproxy.url}/health`, timeoutMs);
}
