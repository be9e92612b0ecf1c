import type { FaultRule } from '@imagery/aws-adapters';

/**
 * The seams between the chaos parts. The fleet (chaos/fleet), the network (chaos/toxiproxy) and
 * the API-fault registry (chaos/faults) implement these; the FIS simulator (chaos/fis) and the
 * experiment runner only use them — so each part is tested alone, and the simulator never knows
 * whether an "instance" is a local process.
 */

export type InstanceRole = 'api' | 'worker';
export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

export interface InstanceInfo {
  /** EC2-like id, e.g. `i-api-1-3` (slot 1, third launch). */
  readonly id: string;
  readonly role: InstanceRole;
  /** Availability zone letter; tags also carry `AZ`. */
  readonly az: 'a' | 'b';
  readonly state: InstanceState;
  /** `Role`, `AZ`, `Name`, plus anything the fleet adds. */
  readonly tags: Readonly<Record<string, string>>;
  readonly pid?: number;
  /** Where the instance serves HTTP (health, metrics, fault control). */
  readonly baseUrl: string;
  readonly launchedAt: number;
}

export type FleetEvent =
  | { readonly type: 'launched' | 'healthy' | 'terminated' | 'stopped' | 'started' | 'died'; readonly at: number; readonly instance: InstanceInfo; readonly detail?: string }
  | { readonly type: 'replaced'; readonly at: number; readonly instance: InstanceInfo; readonly replacement: InstanceInfo };

/** An auto-scaling-group-like set of instances: terminated or dead ones are replaced. */
export interface Fleet {
  instances(): InstanceInfo[];
  /** Like EC2 terminate: the process gets SIGTERM (SIGKILL if `force`), and the group launches a replacement. */
  terminate(id: string, options?: { force?: boolean }): Promise<void>;
  /** Like EC2 stop: the instance stops (SIGSTOP: frozen, connections hang) until started again. */
  stop(id: string): Promise<void>;
  start(id: string): Promise<void>;
  onEvent(listener: (event: FleetEvent) => void): () => void;
}

/** API-layer fault rules, by source (an experiment action), pushed to every live instance and to new ones. */
export interface ApiFaultControl {
  /** Replaces the rules of `source` on the instances of `roles` (all roles if omitted). */
  set(source: string, rules: FaultRule[], roles?: readonly InstanceRole[]): Promise<void>;
  clear(source: string): Promise<void>;
  active(): FaultRule[];
}

export interface Toxic {
  /** Toxiproxy toxic type: latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data. */
  readonly type: string;
  readonly stream?: 'upstream' | 'downstream';
  readonly toxicity?: number;
  readonly attributes: Readonly<Record<string, number>>;
}

/** The network layer, through the real Toxiproxy server. */
export interface NetworkControl {
  /** Proxy names: `dynamodb`, `s3`, `sqs`, and one per API slot (`api-1`, ...). */
  proxies(): Promise<string[]>;
  addToxic(proxy: string, name: string, toxic: Toxic): Promise<void>;
  removeToxic(proxy: string, name: string): Promise<void>;
  /** Cuts the proxy (connections refused/reset) or restores it. */
  setEnabled(proxy: string, enabled: boolean): Promise<void>;
}

/** One Prometheus sample, as scraped from an instance's /metrics. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Reads the platform's metrics (every live instance's /metrics), for stop conditions. */
export interface MetricsReader {
  scrape(): Promise<MetricSample[]>;
}

export interface ControlPlane {
  readonly fleet: Fleet;
  readonly apiFaults: ApiFaultControl;
  readonly network: NetworkControl;
  readonly metrics: MetricsReader;
}
