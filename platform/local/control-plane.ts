import type { ControlPlane, InstanceRole } from '@imagery/control-plane/control-plane';
import type { EmulatorEndpoints, LocalResources } from './emulator/data-stack';
import { FaultRegistry } from './fault-rules/fault-rule-registry';
import type { LocalFleet } from './fleet/local-fleet';
import type { HaproxyServer } from './haproxy/haproxy-server';
import { FleetMetricsReader } from './metrics/fleet-metrics-reader';
import { S3ReportStore } from './s3-report-store';
import { startChaosFleet } from './start/fleet';
import { startLoadBalancer, waitUntilServing } from './start/load-balancer';
import { populateNetwork } from './start/network';
import { type ControlPlanePorts, assertPortsFree, pickFleetSlots } from './start/ports';
import { Teardown } from '@imagery/kernel/process/teardown';
import type { ToxiproxyNetwork } from './toxiproxy/toxiproxy-network';
import { startToxiproxyServer } from './toxiproxy/toxiproxy-server';

export interface LocalControlPlaneOptions {
  readonly host: string;
  /** The AWS emulator's per-service endpoints the AWS proxies forward to, and the data stack deployed on it. */
  readonly emulatorEndpoints: EmulatorEndpoints;
  readonly resources: LocalResources;
  readonly apiCount?: number;
  readonly workerCount?: number;
  readonly ports?: ControlPlanePorts;
  /** The fleet's health-check grace: a dead or terminated instance is replaced after this (2 s). */
  readonly replaceAfterMs?: number;
  readonly chaosSeed?: number;
  /** Extra environment per role (tests: short polls, fast repair sweeps). */
  readonly roleEnv?: Partial<Record<InstanceRole, Record<string, string>>>;
  /** Keep the instances' and HAProxy's output off the console; lifecycle lines still go to `log`. */
  readonly quiet?: boolean;
  readonly log?: (line: string) => void;
  readonly readyTimeoutMs?: number;
}

/** The ControlPlane of the local platform, plus what runs it. */
export interface LocalControlPlane extends ControlPlane {
  readonly fleet: LocalFleet;
  readonly apiFaults: FaultRegistry;
  readonly network: ToxiproxyNetwork;
  readonly metrics: FleetMetricsReader;
  /** The emulator's S3, for FIS experiment reports. */
  readonly reportStore: S3ReportStore;
  /** The platform URL (HAProxy). */
  readonly url: string;
  readonly toxiproxyUrl: string;
  readonly haproxy: HaproxyServer;
  /**
   * Each Toxiproxy proxy's listen address (`dynamodb-a` → 127.0.0.1:4567, `api-1` → ...); a bare
   * service name (`dynamodb`) is zone a's proxy.
   */
  readonly proxies: Readonly<Record<string, string>>;
  /** Stops HAProxy, the fleet and Toxiproxy (the emulator belongs to the caller). */
  stop(): Promise<void>;
}

/**
 * Brings up the chaos topology on an emulator that already runs: Toxiproxy with one proxy per AWS
 * service per zone and one per API slot, the fleet (each instance's SDK endpoints through its
 * zone's AWS proxies, chaos mode on), and HAProxy in front of the API proxies. Resolves once
 * HAProxy serves /health through every API instance. The FIS simulator takes the result as its
 * ControlPlane. Each step is a file of ./start/.
 */
export async function startLocalControlPlane(options: LocalControlPlaneOptions): Promise<LocalControlPlane> {
  const { host } = options;
  const ports = options.ports ?? {};
  const log = options.log ?? console.log;
  await assertPortsFree(host, ports);
  const slots = await pickFleetSlots(host, ports, { api: options.apiCount ?? 2, worker: options.workerCount ?? 2 });
  const apiSlots = slots.filter((s) => s.role === 'api');
  // Stopped front to back: no new requests, then no instances, then no network.
  const started = new Teardown(log);
  const reportStore = started.add(new S3ReportStore(options.emulatorEndpoints.s3), (s) => s.destroy());
  try {
    const toxiproxy = started.add(await startToxiproxyServer({ host, port: ports.toxiproxy }), (t) => t.stop());
    const network = await populateNetwork(toxiproxy.url, { ...options, ports, apiSlots });
    const apiFaults = new FaultRegistry(log);
    const fleet = started.add(await startChaosFleet({ ...options, slots, network, apiFaults, log }), (f) => f.close());
    apiFaults.attach(fleet);
    const balancer = { host, ports, apiSlots, proxies: network.proxies, quiet: options.quiet };
    const haproxy = started.add(await startLoadBalancer(balancer), (h) => h.stop());
    await waitUntilServing(haproxy, apiSlots.length, options.readyTimeoutMs ?? 30_000);
    return {
      fleet,
      apiFaults,
      network: network.control,
      metrics: new FleetMetricsReader(fleet),
      reportStore,
      url: haproxy.url,
      toxiproxyUrl: toxiproxy.url,
      haproxy,
      proxies: network.proxies,
      stop: () => started.stopAll(),
    };
  } catch (err) {
    await started.stopAll();
    throw err;
  }
}
