import type { FaultRule } from '@imagery/aws-adapters';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../../scripts/local-aws/repo-root';
import type { Fleet, FleetEvent, InstanceInfo, InstanceRole } from '../control-plane';
import type { FleetSlot } from './fleet-slot';
import { InstanceEnvOptions, instanceEnv } from './instance-env';
import { LocalInstance } from './local-instance';
import { waitUntilLive } from './wait-until-live';

export interface LocalFleetOptions {
  readonly host: string;
  readonly slots: readonly FleetSlot[];
  /** The apps' AWS configuration. */
  readonly env: Readonly<Record<string, string>>;
  readonly roleEnv?: InstanceEnvOptions['roleEnv'];
  /** The rules a new instance of `role` starts with: the fault registry's active ones. */
  readonly faultRules?: (role: InstanceRole) => FaultRule[];
  /** Health-check grace: how long after an instance ended its replacement is launched. */
  readonly replaceAfterMs?: number;
  /** DRAIN_DELAY_MS of the API instances (see local-control-plane for how it relates to HAProxy). */
  readonly drainDelayMs?: number;
  /** A graceful terminate escalates to SIGKILL after this long. */
  readonly terminateTimeoutMs?: number;
  readonly chaosSeed?: number;
  /** Where the built apps are (dist/apps). */
  readonly distDir?: string;
  /** Lifecycle lines (launches, replacements); the console by default. */
  readonly log?: (line: string) => void;
  /** The instances' own output; the console, prefixed with the instance id, by default. */
  readonly onInstanceLine?: (instanceId: string, line: string) => void;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * An auto-scaling group on this machine: one process per slot, replaced after a grace period when
 * it dies or is terminated. Health here is EC2's (the process is alive and answers /health/live),
 * not the load balancer's: an instance whose dependencies are cut is unready, not replaced -
 * otherwise an SQS outage would recycle the whole fleet instead of showing the outage.
 *
 * A stopped (SIGSTOP) instance is not replaced: it is treated like an instance in Standby, as FIS's
 * stop-instances + startInstancesAfterDuration expects to find it again; its slot's port is still
 * held by the frozen process anyway. HAProxy's checks time out on it and take it out of rotation.
 */
export class LocalFleet implements Fleet {
  /** The slot's instance now; absent between an instance's end and its replacement. */
  private readonly current = new Map<string, LocalInstance>();
  /** Every launch, so that terminating an already terminated id is the no-op EC2 makes it. */
  private readonly launched = new Map<string, LocalInstance>();
  private readonly launchCounts = new Map<string, number>();
  /** Consecutive launches of a slot that died before ever being live: backs off a crash loop. */
  private readonly failedStarts = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listeners = new Set<(event: FleetEvent) => void>();
  private closing = false;

  constructor(private readonly options: LocalFleetOptions) {}

  /** Launches every slot and resolves once all of them are running (or stops them and rejects). */
  static async start(options: LocalFleetOptions, readyTimeoutMs = 60_000): Promise<LocalFleet> {
    const fleet = new LocalFleet(options);
    for (const slot of options.slots) fleet.launch(slot);
    try {
      await fleet.whenAllRunning(readyTimeoutMs);
    } catch (err) {
      await fleet.close();
      throw err;
    }
    return fleet;
  }

  instances(): InstanceInfo[] {
    return [...this.current.values()].map((i) => i.info());
  }

  async terminate(id: string, options: { force?: boolean } = {}): Promise<void> {
    const instance = this.find(id);
    if (instance.state === 'terminated') return;
    if (instance.state !== 'shutting-down' || options.force) {
      const signal = options.force ? 'SIGKILL' : 'SIGTERM';
      instance.terminatedBy = signal;
      instance.state = 'shutting-down';
      instance.process.signal(signal);
      instance.process.signal('SIGCONT'); // a frozen (stopped) process acts on SIGTERM only once thawed
      const escalate = setTimeout(() => instance.process.signal('SIGKILL'), this.options.terminateTimeoutMs ?? 30_000);
      void instance.process.ended.then(() => clearTimeout(escalate));
    }
    await instance.process.ended;
  }

  async stop(id: string): Promise<void> {
    const instance = this.find(id);
    if (instance.state === 'stopped') return;
    if (instance.state !== 'running' && instance.state !== 'pending') throw new Error(`IncorrectInstanceState: ${id} is ${instance.state}`);
    instance.process.signal('SIGSTOP');
    instance.state = 'stopped';
    this.emit({ type: 'stopped', at: Date.now(), instance: instance.info() });
    this.log(`[fleet] ${instance.slot.name}: ${id} stopped (SIGSTOP)`);
  }

  async start(id: string): Promise<void> {
    const instance = this.find(id);
    if (instance.state === 'running' || instance.state === 'pending') return;
    if (instance.state !== 'stopped') throw new Error(`IncorrectInstanceState: ${id} is ${instance.state}`);
    instance.process.signal('SIGCONT');
    instance.state = instance.live ? 'running' : 'pending';
    this.emit({ type: 'started', at: Date.now(), instance: instance.info() });
    this.log(`[fleet] ${instance.slot.name}: ${id} started again (SIGCONT)`);
  }

  onEvent(listener: (event: FleetEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once every slot has a running instance. */
  async whenAllRunning(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const ready = () => this.options.slots.every((s) => this.current.get(s.name)?.state === 'running');
    while (!ready()) {
      if (Date.now() > deadline) {
        const stuck = this.options.slots.filter((s) => this.current.get(s.name)?.state !== 'running');
        const detail = stuck.map((s) => `${s.name}: ${this.current.get(s.name)?.tail.slice(-5).join('\n    ') ?? 'not launched'}`);
        throw new Error(`fleet not running after ${timeoutMs} ms:\n  ${detail.join('\n  ')}`);
      }
      await sleep(100);
    }
  }

  /** Stops every instance (no replacements from now on); frozen ones are thawed so they can exit. */
  async close(): Promise<void> {
    this.closing = true;
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    await Promise.all([...this.current.values()].map((i) => i.process.stop(5_000)));
  }

  private launch(slot: FleetSlot): LocalInstance {
    const n = (this.launchCounts.get(slot.name) ?? 0) + 1;
    this.launchCounts.set(slot.name, n);
    const id = `i-${slot.name}-${n}`;
    const env = instanceEnv(slot, id, {
      host: this.options.host,
      env: this.options.env,
      roleEnv: this.options.roleEnv,
      chaosSeed: this.options.chaosSeed ?? 1,
      drainDelayMs: this.options.drainDelayMs ?? 0,
      faultRules: this.options.faultRules?.(slot.role) ?? [],
    });
    const script = join(this.options.distDir ?? join(repoRoot(), 'dist', 'apps'), slot.role, 'src', 'main.js');
    const onLine = this.options.onInstanceLine ?? ((instanceId: string, line: string) => console.log(`[${instanceId}] ${line}`));
    const instance = new LocalInstance(id, slot, this.options.host, { script, env }, (line) => onLine(id, line));
    this.current.set(slot.name, instance);
    this.launched.set(id, instance);
    this.emit({ type: 'launched', at: Date.now(), instance: instance.info() });
    void this.watch(instance);
    return instance;
  }

  /** Follows one instance: pending → running once live; on its end, schedules the slot's replacement. */
  private async watch(instance: LocalInstance): Promise<void> {
    const live = await waitUntilLive(`${instance.baseUrl}/health/live`, () => !instance.process.running);
    if (live) {
      instance.live = true;
      this.failedStarts.delete(instance.slot.name);
      if (instance.state === 'pending') {
        instance.state = 'running';
        this.emit({ type: 'healthy', at: Date.now(), instance: instance.info() });
      }
    }
    const exit = await instance.process.ended;
    const how = exit.signal ?? `exit code ${exit.code}`;
    instance.state = 'terminated';
    if (this.current.get(instance.slot.name) === instance) this.current.delete(instance.slot.name);
    const ended = instance.info();
    this.emit({ type: instance.terminatedBy ? 'terminated' : 'died', at: Date.now(), instance: ended, detail: how });
    if (this.closing) return;
    this.scheduleReplacement(instance, ended, how);
  }

  private scheduleReplacement(old: LocalInstance, ended: InstanceInfo, how: string): void {
    const slot = old.slot;
    const failed = old.live ? 0 : (this.failedStarts.get(slot.name) ?? 0) + 1;
    this.failedStarts.set(slot.name, failed);
    const delay = Math.min(MAX_BACKOFF_MS, (this.options.replaceAfterMs ?? 2_000) * 2 ** failed);
    const why = old.terminatedBy ? `terminated (${how})` : `died (${how})`;
    this.log(`[fleet] ${slot.name}: ${old.id} ${why}; replacing it in ${delay} ms`);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closing) return;
      const replacement = this.launch(slot);
      this.emit({ type: 'replaced', at: Date.now(), instance: ended, replacement: replacement.info() });
      this.log(`[fleet] ${slot.name}: replaced ${old.id} with ${replacement.id} (pid ${replacement.process.pid}, ${replacement.baseUrl})`);
    }, delay);
    this.timers.add(timer);
  }

  private find(id: string): LocalInstance {
    const instance = this.launched.get(id);
    if (!instance) throw new Error(`InvalidInstanceID.NotFound: no instance ${id}`);
    return instance;
  }

  private emit(event: FleetEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log(`[fleet] event listener failed: ${(err as Error).message}`);
      }
    }
  }

  private log(line: string): void {
    (this.options.log ?? console.log)(line);
  }
}
