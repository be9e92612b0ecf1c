import type { LocalResources } from './emulator/data-stack';
import { resourcesToEnv } from './emulator/data-stack';
import { freePort, isPortFree } from '@imagery/kernel/free-port';
import { waitForHttp } from '@imagery/kernel/wait-for-http';
import type { ControlPlane, InstanceRole } from '../../chaos/fis/control-plane';
import { FaultRegistry } from './fault-rules/fault-rule-registry';
import { fleetSlots } from './fleet/fleet-slot';
import { LocalFleet } from './fleet/local-fleet';
import { HAPROXY_CHECK_DEFAULTS } from './haproxy/haproxy-config';
import { HaproxyServer, startHaproxy } from './haproxy/haproxy-server';
import { FleetMetricsReader } from './metrics/fleet-metrics-reader';
import { S3ReportStore } from './s3-report-store';
import { AWS_SERVICES, apiProxies, httpEndpoint } from '../../chaos/fis/targets/proxy-layout';
import { ToxiproxyNetwork } from './toxiproxy/toxiproxy-network';
import { ToxiproxyServer, startToxiproxyServer } from './toxiproxy/toxiproxy-server';
import { zonalAwsProxies, zonalProxyName } from '../../chaos/fis/targets/zonal-proxies';

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

export interface LocalControlPlaneOptions {
  readonly host: string;
  /** The AWS emulator the AWS proxies forward to, and the data stack deployed on it. */
  readonly emulatorEndpoint: string;
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
 * ControlPlane.
 */
export async function startLocalControlPlane(options: LocalControlPlaneOptions): Promise<LocalControlPlane> {
  const { host } = options;
  const ports = options.ports ?? {};
  const log = options.log ?? console.log;
  const pick = async (port: number | undefined) => port || (await freePort(host));
  await assertPortsFree(host, ports);
  const apiCount = options.apiCount ?? 2;
  const workerCount = options.workerCount ?? 2;
  const slots = fleetSlots({
    api: await Promise.all(Array.from({ length: apiCount }, (_, i) => pick(ports.apiInstances?.[i]))),
    worker: await Promise.all(Array.from({ length: workerCount }, (_, i) => pick(ports.workerInstances?.[i]))),
  });
  const apiSlots = slots.filter((s) => s.role === 'api');

  let toxiproxy: ToxiproxyServer | undefined;
  let haproxy: HaproxyServer | undefined;
  let fleet: LocalFleet | undefined;
  const reportStore = new S3ReportStore(options.emulatorEndpoint);
  // Front to back: no new requests, then no instances, then no network.
  const stop = async () => {
    const steps = [() => haproxy?.stop(), () => fleet?.close(), () => toxiproxy?.stop(), () => reportStore.destroy()];
    for (const step of steps) await Promise.resolve(step()).catch((err) => log(`stop failed: ${(err as Error).message}`));
  };
  try {
    toxiproxy = await startToxiproxyServer({ host, port: ports.toxiproxy });
    const network = new ToxiproxyNetwork(toxiproxy.url);
    const zonal = await network.populate([
      ...zonalAwsProxies(host, options.emulatorEndpoint, { dynamodb: ports.dynamodbProxy, s3: ports.s3Proxy, sqs: ports.sqsProxy }),
      ...apiProxies(
        host,
        apiSlots.map((s, i) => ({ ...s, proxyPort: ports.apiProxies?.[i] })),
      ),
    ]);
    const proxies: Record<string, string> = {
      ...zonal,
      ...Object.fromEntries(AWS_SERVICES.map((service) => [service, zonal[zonalProxyName(service, 'a')]])),
    };

    // An instance reaches AWS through its zone's proxies. The SQS endpoint also re-roots the queue
    // URLs (see resourcesToEnv); the others are overridden.
    const zoneEnv = (zone: 'a' | 'b') => ({
      ...resourcesToEnv(httpEndpoint(zonal[zonalProxyName('sqs', zone)]), options.resources),
      AWS_ENDPOINT_URL_DYNAMODB: httpEndpoint(zonal[zonalProxyName('dynamodb', zone)]),
      AWS_ENDPOINT_URL_S3: httpEndpoint(zonal[zonalProxyName('s3', zone)]),
    });
    const env = zoneEnv('a');
    const apiFaults = new FaultRegistry(log);
    const check = HAPROXY_CHECK_DEFAULTS;
    fleet = await LocalFleet.start(
      {
        host,
        slots,
        env,
        zoneEnv,
        roleEnv: options.roleEnv,
        faultRules: (role) => apiFaults.rulesFor(role),
        replaceAfterMs: options.replaceAfterMs,
        // On SIGTERM an API instance reports unready for (fall + 1) check intervals before closing:
        // HAProxy needs `fall` failed checks to take it out, plus one interval of slack.
        drainDelayMs: (check.fall + 1) * check.checkIntervalMs,
        chaosSeed: options.chaosSeed,
        log,
        onInstanceLine: options.quiet ? () => undefined : undefined,
      },
      options.readyTimeoutMs,
    );
    apiFaults.attach(fleet);
    // After the fleet: HAProxy assumes its servers up at start, so its first checks would otherwise
    // log every server going DOWN and back UP.
    haproxy = await startHaproxy({
      // 0: HAProxy's start picks the ports, and picks again if one is taken before it binds
      bind: `${host}:${ports.loadBalancer ?? 0}`,
      statsBind: `${host}:${ports.haproxyStats ?? 0}`,
      servers: apiSlots.map((s) => ({ name: s.name, address: proxies[s.name] })),
      ...check,
      onLine: options.quiet ? () => undefined : undefined,
    });
    await waitUntilAllUp(haproxy, apiSlots.length, options.readyTimeoutMs ?? 30_000);
    // The deep check through HAProxy and Toxiproxy to the emulator: seconds on a loaded machine
    // (a fixed 5 s failed 1 start in 30 under load), so the same allowance as the rest of the start.
    await waitForHttp(`${haproxy.url}/health`, options.readyTimeoutMs ?? 30_000);
    return {
      fleet,
      apiFaults,
      network,
      metrics: new FleetMetricsReader(fleet),
      reportStore,
      url: haproxy.url,
      toxiproxyUrl: toxiproxy.url,
      haproxy,
      proxies,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Fixed ports are checked first: a leftover from an earlier run would otherwise surface late and obscurely. */
async function assertPortsFree(host: string, ports: ControlPlanePorts): Promise<void> {
  const fixed = Object.entries(ports).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).filter((p): p is number => typeof p === 'number' && p > 0).map((p) => ({ name, port: p })),
  );
  const busy: string[] = [];
  for (const { name, port } of fixed) if (!(await isPortFree(port, host))) busy.push(`${port} (${name})`);
  if (busy.length > 0) throw new Error(`ports in use on ${host}: ${busy.join(', ')} (an earlier run still up?)`);
}

/** HAProxy needs `rise` good checks per server: wait so callers start with every instance in rotation. */
async function waitUntilAllUp(haproxy: HaproxyServer, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let states: Record<string, string> = {};
  while (Date.now() < deadline) {
    states = await haproxy.serverStates().catch(() => ({}));
    if (Object.values(states).filter((s) => s === 'UP').length === count) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`HAProxy servers not all UP after ${timeoutMs} ms: ${JSON.stringify(states)}`);
}
