import type { FaultRule } from '@imagery/aws-adapters/faults/fault-rule';
import { expandProxyName } from '@imagery/control-plane/zonal-proxies';
import type {
  ApiFaultControl,
  AvailabilityZone,
  ControlPlane,
  Fleet,
  FleetEvent,
  InstanceInfo,
  InstanceRole,
  MetricSample,
  MetricsReader,
  NetworkControl,
  ReportObjectStore,
  Toxic,
} from '@imagery/control-plane/control-plane';
import { promiseOf } from '../promise-of';

/**
 * In-memory ControlPlane for the simulator's tests: each fake does what the real part would to
 * its own state (an instance terminated is gone and replaced, a rule set is active until
 * cleared, a proxy disabled stays so until enabled) and records every call, in order, in one
 * shared journal — tests read effects from the state and ordering from the journal.
 */
export class FakeFleet implements Fleet {
  private list: InstanceInfo[] = [];
  private launches = 0;
  readonly spotNotices = new Map<string, number>();
  readonly zonesWithoutCapacity = new Set<AvailabilityZone>();
  private readonly listeners = new Set<(e: FleetEvent) => void>();

  constructor(
    private readonly journal: string[],
    layout: { api?: number; worker?: number } = {},
  ) {
    for (let i = 1; i <= (layout.api ?? 2); i++) this.launch('api', i);
    for (let i = 1; i <= (layout.worker ?? 2); i++) this.launch('worker', i);
  }

  instances(): InstanceInfo[] {
    return [...this.list];
  }

  terminate(id: string): Promise<void> {
    return promiseOf(() => {
      const instance = this.find(id);
      this.journal.push(`fleet.terminate ${id}`);
      this.replace(instance, { ...instance, state: 'terminated' });
      // Like an auto-scaling group: a new instance in the same slot.
      const slot = Number(/^i-\w+-(\d+)-/.exec(id)?.[1] ?? 1);
      this.launch(instance.role, slot);
    });
  }

  stop(id: string): Promise<void> {
    return promiseOf(() => {
      this.journal.push(`fleet.stop ${id}`);
      this.replace(this.find(id), { ...this.find(id), state: 'stopped' });
    });
  }

  start(id: string): Promise<void> {
    return promiseOf(() => {
      this.journal.push(`fleet.start ${id}`);
      this.replace(this.find(id), { ...this.find(id), state: 'running' });
    });
  }

  reboot(id: string): Promise<void> {
    return promiseOf(() => {
      this.find(id);
      this.journal.push(`fleet.reboot ${id}`);
    });
  }

  /** The notice is recorded in `spotNotices`; the test plays the deadline by calling terminate. */
  interruptSpot(id: string, noticeMs: number): Promise<void> {
    return promiseOf(() => {
      this.find(id);
      this.journal.push(`fleet.interruptSpot ${id} ${noticeMs}`);
      this.spotNotices.set(id, noticeMs);
    });
  }

  setZoneCapacity(zone: AvailabilityZone, available: boolean): void {
    this.journal.push(`fleet.setZoneCapacity ${zone} ${available}`);
    if (available) this.zonesWithoutCapacity.delete(zone);
    else this.zonesWithoutCapacity.add(zone);
  }

  onEvent(listener: (event: FleetEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private launch(role: InstanceRole, slot: number): void {
    this.launches++;
    const home: AvailabilityZone = slot % 2 === 1 ? 'a' : 'b';
    // Like a multi-AZ group: a zone without capacity sends the launch to the other one.
    const az: AvailabilityZone = this.zonesWithoutCapacity.has(home) ? (home === 'a' ? 'b' : 'a') : home;
    const id = `i-${role}-${slot}-${this.launches}`;
    this.list.push({
      id,
      role,
      az,
      state: 'running',
      tags: { Role: role, AZ: az, Name: `${role}-${slot}` },
      baseUrl: `http://127.0.0.1:0`,
      launchedAt: 0,
    });
  }

  private find(id: string): InstanceInfo {
    const instance = this.list.find((i) => i.id === id);
    if (!instance) throw new Error(`no instance ${id}`);
    return instance;
  }

  private replace(old: InstanceInfo, next: InstanceInfo): void {
    this.list = this.list.map((i) => (i === old ? next : i));
  }
}

export class FakeApiFaults implements ApiFaultControl {
  readonly bySource = new Map<string, { rules: FaultRule[]; roles?: readonly InstanceRole[] }>();

  constructor(private readonly journal: string[]) {}

  set(source: string, rules: FaultRule[], roles?: readonly InstanceRole[]): Promise<void> {
    return promiseOf(() => {
      this.journal.push(`apiFaults.set ${source}`);
      this.bySource.set(source, { rules, roles });
    });
  }

  clear(source: string): Promise<void> {
    return promiseOf(() => {
      this.journal.push(`apiFaults.clear ${source}`);
      this.bySource.delete(source);
    });
  }

  active(): FaultRule[] {
    return [...this.bySource.values()].flatMap((s) => s.rules);
  }
}

/** Proxies as the local platform lays them out: each AWS service per zone, one per API slot. */
export const FAKE_PROXIES = ['dynamodb-a', 'dynamodb-b', 's3-a', 's3-b', 'sqs-a', 'sqs-b', 'api-1', 'api-2'];

export class FakeNetwork implements NetworkControl {
  /** By `<proxy>/<toxic name>`: a toxic given for a service lands on each zone's proxy. */
  readonly toxics = new Map<string, Toxic & { proxy: string }>();
  readonly disabled = new Set<string>();

  constructor(
    private readonly journal: string[],
    private readonly names: string[] = FAKE_PROXIES,
  ) {}

  proxies(): Promise<string[]> {
    return promiseOf(() => {
      return [...this.names];
    });
  }

  addToxic(proxy: string, name: string, toxic: Toxic): Promise<void> {
    return promiseOf(() => {
      this.journal.push(`network.addToxic ${proxy} ${name}`);
      for (const one of expandProxyName(proxy, this.names)) {
        if (!this.names.includes(one)) throw new Error(`proxy ${one} not found`); // as Toxiproxy answers 404
        this.toxics.set(`${one}/${name}`, { ...toxic, proxy: one });
      }
    });
  }

  removeToxic(proxy: string, name: string): Promise<void> {
    return promiseOf(() => {
      this.journal.push(`network.removeToxic ${proxy} ${name}`);
      for (const one of expandProxyName(proxy, this.names)) this.toxics.delete(`${one}/${name}`);
    });
  }

  setEnabled(proxy: string, enabled: boolean): Promise<void> {
    return promiseOf(() => {
      this.journal.push(`network.setEnabled ${proxy} ${enabled}`);
      for (const one of expandProxyName(proxy, this.names)) {
        if (enabled) this.disabled.delete(one);
        else this.disabled.add(one);
      }
    });
  }
}

/** S3 as far as reports need it: buckets that exist, objects by `bucket/key`. */
export class FakeReportStore implements ReportObjectStore {
  readonly objects = new Map<string, { body: string; contentType: string }>();
  constructor(readonly buckets = new Set(['fis-reports'])) {}

  putObject(bucket: string, key: string, body: string, contentType: string): Promise<void> {
    return promiseOf(() => {
      if (!this.buckets.has(bucket)) throw new Error(`NoSuchBucket: The specified bucket does not exist (${bucket})`);
      this.objects.set(`${bucket}/${key}`, { body, contentType });
    });
  }
}

/** Serves whatever samples the test last set; `fail` makes scrapes throw (an unreachable fleet). */
export class FakeMetrics implements MetricsReader {
  samples: MetricSample[] = [];
  fail = false;
  scrapes = 0;

  scrape(): Promise<MetricSample[]> {
    return promiseOf(() => {
      this.scrapes++;
      if (this.fail) throw new Error('scrape failed');
      return this.samples.map((s) => ({ ...s }));
    });
  }
}

export interface FakeControlPlane extends ControlPlane {
  readonly fleet: FakeFleet;
  readonly apiFaults: FakeApiFaults;
  readonly network: FakeNetwork;
  readonly metrics: FakeMetrics;
  readonly reportStore: FakeReportStore;
  /** Every call to the platform, in order (`fleet.terminate i-api-1-1`, `apiFaults.set EXP…/a`, ...). */
  readonly journal: string[];
}

export function fakeControlPlane(layout?: { api?: number; worker?: number }): FakeControlPlane {
  const journal: string[] = [];
  return {
    journal,
    fleet: new FakeFleet(journal, layout),
    apiFaults: new FakeApiFaults(journal),
    network: new FakeNetwork(journal),
    metrics: new FakeMetrics(),
    reportStore: new FakeReportStore(),
  };
}
