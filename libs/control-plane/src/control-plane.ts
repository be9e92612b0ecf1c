import type { FaultRule } from '@imagery/aws-adapters';

/**
 * The seams between the chaos parts. The fleet (platform/local/fleet), the network (platform/local/toxiproxy) and
 * the API-fault registry (platform/local/fault-rules) implement these; the FIS simulator (chaos/fis) and the
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
  readonly az: AvailabilityZone;
  readonly state: InstanceState;
  /** `Role`, `AZ`, `Name`, plus anything the fleet adds. */
  readonly tags: Readonly<Record<string, string>>;
  readonly pid?: number;
  /** Where the instance serves HTTP (health, metrics, fault control). */
  readonly baseUrl: string;
  readonly launchedAt: number;
}

export type FleetEvent =
  | {
      readonly type: 'launched' | 'healthy' | 'terminated' | 'stopped' | 'started' | 'died';
      readonly at: number;
      readonly instance: InstanceInfo;
      readonly detail?: string;
    }
  | { readonly type: 'replaced'; readonly at: number; readonly instance: InstanceInfo; readonly replacement: InstanceInfo };

export type AvailabilityZone = 'a' | 'b';

/**
 * An auto-scaling-group-like set of instances: terminated or dead ones are replaced. The process
 * semantics follow EC2's: terminate is a hard crash (the instance is gone, no drain), stop/reboot
 * are an OS shutdown (SIGTERM: the API drains, the worker finishes its jobs).
 */
export interface Fleet {
  instances(): InstanceInfo[];
  /**
   * Like EC2 terminate: the process is SIGKILLed (no drain; work in flight is cut mid-way) and the
   * group launches a replacement. `graceful` sends SIGTERM first, as an auto-scaling group's
   * scale-in with a lifecycle hook does (SIGKILL after a timeout). `force` is the default, kept
   * for callers that say it explicitly.
   */
  terminate(id: string, options?: { graceful?: boolean; force?: boolean }): Promise<void>;
  /**
   * Like EC2 stop: an OS shutdown (SIGTERM, drain), then the instance is `stopped`, keeps its id
   * and is not replaced (like an instance in Standby) until started. Resolves once it is stopped.
   */
  stop(id: string): Promise<void>;
  /**
   * Like EC2 start: the same instance boots again (a new process, same id and slot). Fails with
   * InsufficientInstanceCapacity in a zone without capacity.
   */
  start(id: string): Promise<void>;
  /** Like EC2 reboot: an OS shutdown, then the same instance boots again; it stays `running`. */
  reboot(id: string): Promise<void>;
  /**
   * A spot interruption: the instance's metadata endpoint answers `spot/instance-action` at once;
   * after `noticeMs` the instance is terminated (SIGKILL if it has not shut down by itself).
   */
  interruptSpot(id: string, noticeMs: number): Promise<void>;
  /** No capacity in `zone`: launches there fail; replacements go to the other zone or wait. */
  setZoneCapacity(zone: AvailabilityZone, available: boolean): void;
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
  /**
   * Proxy names: one per AWS service per zone (`dynamodb-a`, `s3-b`, ...: an instance reaches a
   * service through its zone's proxy) and one per API slot (`api-1`, ...). The other methods also
   * take a service name alone (`dynamodb`), meaning that service's proxy in every zone.
   */
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

/** An S3 bucket store the FIS control plane writes experiment reports to (the emulator's S3 locally). */
export interface ReportObjectStore {
  /** Fails (e.g. NoSuchBucket) like S3's PutObject would; the experiment report then fails, not the experiment. */
  putObject(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}

export interface ControlPlane {
  readonly fleet: Fleet;
  readonly apiFaults: ApiFaultControl;
  readonly network: NetworkControl;
  readonly metrics: MetricsReader;
  /** Where experimentReportConfiguration's S3 output goes; without it such reports fail. */
  readonly reportStore?: ReportObjectStore;
}

/**
 * The experiment service a platform session runs on its control plane: the FIS simulator
 * (chaos/fis). The platform is handed the starter, so it never imports the simulator and the
 * simulator never imports the platform: both meet in these seams.
 */
export interface ExperimentServer {
  /** The endpoint to give the SDK / the AWS CLI (`--endpoint-url`). */
  readonly url: string;
  stop(): Promise<void>;
}

export type StartExperimentServer = (options: {
  readonly controlPlane: ControlPlane;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly seed?: number;
  readonly log: (line: string) => void;
}) => Promise<ExperimentServer>;
