import type { FaultRule } from '@imagery/aws-adapters';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '@imagery/kernel/repo-root';
import { waitForHttp } from '@imagery/kernel/wait-for-http';
import type { AvailabilityZone, Fleet, FleetEvent, InstanceInfo, InstanceRole } from '@imagery/control-plane/control-plane';
import type { FleetSlot } from './fleet-slot';
import { InstanceEnvOptions, instanceEnv } from './instance-env';
import { InstanceMetadataServer } from './instance-metadata-server';
import { LocalInstance } from './local-instance';

export interface LocalFleetOptions {
  readonly host: string;
  readonly slots: readonly FleetSlot[];
  /** The apps' AWS configuration. */
  readonly env: Readonly<Record<string, string>>;
  /** Per zone, what overrides `env` for an instance there (its zone's AWS proxies). */
  readonly zoneEnv?: (zone: AvailabilityZone) => Readonly<Record<string, string>>;
  readonly roleEnv?: InstanceEnvOptions['roleEnv'];
  /** The rules a new instance of `role` starts with: the fault registry's active ones. */
  readonly faultRules?: (role: InstanceRole) => FaultRule[];
  /** Health-check grace: how long after an instance ended its replacement is launched. */
  readonly replaceAfterMs?: number;
  /** DRAIN_DELAY_MS of the API instances (see platform/local/control-plane.ts for how it relates to HAProxy). */
  readonly drainDelayMs?: number;
  /** A graceful terminate, a stop or a reboot escalates to SIGKILL after this long. */
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

const OTHER_ZONE: Record<AvailabilityZone, AvailabilityZone> = { a: 'b', b: 'a' };

/**
 * An auto-scaling group on this machine: one process per slot, replaced after a grace period when
 * it dies or is terminated. Health here is EC2's (the process is alive and answers /health/live),
 * not the load balancer's: an instance whose dependencies are cut is unready, not replaced -
 * otherwise an SQS outage would recycle the whole fleet instead of showing the outage.
 *
 * Process semantics are EC2's: terminate is SIGKILL (gone, no drain); stop and reboot are an OS
 * shutdown (SIGTERM: the API drains, the worker finishes its jobs), and start boots the same
 * instance (same id, same slot) again. A stopped instance is not replaced: it is treated like an
 * instance in Standby, as FIS's stop-instances + startInstancesAfterDuration expects to find it
 * again. A zone without capacity (asg-insufficient-instance-capacity-error) refuses launches and
 * starts: a replacement goes to the other zone, as a multi-AZ group does, or waits for capacity.
 * Each instance has its own metadata endpoint (INSTANCE_METADATA_URL) for spot interruption notices.
 */
export class LocalFleet implements Fleet {
  /** The slot's instance now; absent between an instance's end and its replacement. */
  private readonly current = new Map<string, LocalInstance>();
  private readonly launchCounts = new Map<string, number>();
  /** Consecutive launches of a slot that died before ever being live: backs off a crash loop. */
  private readonly failedStarts = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listeners = new Set<(event: FleetEvent) => void>();
  private readonly zonesWithoutCapacity = new Set<AvailabilityZone>();
  /** Instances ended by a relaunch: their end is not a death to replace. */
  private readonly retired = new WeakSet<LocalInstance>();
  /** The roles' extra environment: the options' own until a relaunch changes it. */
  private roleEnv: LocalFleetOptions['roleEnv'];
  private closing = false;

  private constructor(
    private readonly options: LocalFleetOptions,
    private readonly metadata: InstanceMetadataServer,
    /** Every launch, so that terminating an already terminated id is the no-op EC2 makes it. */
    private readonly launched: Map<string, LocalInstance>,
  ) {
    this.roleEnv = options.roleEnv;
  }

  /** Launches every slot and resolves once all of them are running (or stops them and rejects). */
  static async start(options: LocalFleetOptions, readyTimeoutMs = 60_000): Promise<LocalFleet> {
    const launched = new Map<string, LocalInstance>();
    const metadata = await InstanceMetadataServer.start(options.host, (id) => launched.get(id)?.spotAction);
    const fleet = new LocalFleet(options, metadata, launched);
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

  async terminate(id: string, options: { graceful?: boolean; force?: boolean } = {}): Promise<void> {
    const instance = this.find(id);
    if (instance.state === 'terminated') return;
    if (instance.state === 'stopped') return this.terminateStopped(instance);
    const signal = options.graceful && !options.force ? 'SIGTERM' : 'SIGKILL';
    if (instance.state !== 'shutting-down' || signal === 'SIGKILL') {
      instance.terminatedBy = signal;
      instance.state = 'shutting-down';
      this.shutDown(instance, signal);
    }
    await instance.process.ended;
  }

  async stop(id: string): Promise<void> {
    const instance = this.find(id);
    if (instance.state === 'stopped') return;
    if (instance.state === 'stopping') return void (await instance.process.ended);
    if (instance.state !== 'running' && instance.state !== 'pending') throw new Error(`IncorrectInstanceState: ${id} is ${instance.state}`);
    instance.state = 'stopping';
    this.shutDown(instance, 'SIGTERM');
    await instance.process.ended;
    // watch() marks it stopped on the exit; wait for that so callers see `stopped`.
    while (instance.state === 'stopping') await sleep(5);
  }

  start(id: string): Promise<void> {
    return settled(() => this.startStopped(id));
  }

  private startStopped(id: string): void {
    const instance = this.find(id);
    if (instance.state === 'running' || instance.state === 'pending') return;
    if (instance.state !== 'stopped') throw new Error(`IncorrectInstanceState: ${id} is ${instance.state}`);
    if (this.zonesWithoutCapacity.has(instance.az))
      throw new Error(`InsufficientInstanceCapacity: no capacity in zone ${instance.az} to start ${id}`);
    instance.boot();
    instance.state = 'pending';
    this.emit({ type: 'started', at: Date.now(), instance: instance.info() });
    this.log(`[fleet] ${instance.slot.name}: ${id} started again (pid ${instance.process.pid})`);
    void this.watch(instance);
  }

  async reboot(id: string): Promise<void> {
    const instance = this.find(id);
    if (instance.state !== 'running' && instance.state !== 'pending') throw new Error(`IncorrectInstanceState: ${id} is ${instance.state}`);
    instance.rebooting = true;
    this.log(`[fleet] ${instance.slot.name}: rebooting ${id}`);
    this.shutDown(instance, 'SIGTERM');
    await instance.process.ended;
  }

  interruptSpot(id: string, noticeMs: number): Promise<void> {
    return settled(() => this.noticeSpotInterruption(id, noticeMs));
  }

  private noticeSpotInterruption(id: string, noticeMs: number): void {
    const instance = this.find(id);
    if (instance.state !== 'running' && instance.state !== 'pending') throw new Error(`IncorrectInstanceState: ${id} is ${instance.state}`);
    const time = new Date(Date.now() + noticeMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    instance.spotAction = { action: 'terminate', time };
    this.log(`[fleet] ${instance.slot.name}: spot interruption notice for ${id}: terminated at ${time}`);
    const deadline = setTimeout(() => {
      this.timers.delete(deadline);
      if (instance.state !== 'terminated') void this.terminate(id).catch(() => undefined);
    }, noticeMs);
    this.timers.add(deadline);
  }

  setZoneCapacity(zone: AvailabilityZone, available: boolean): void {
    if (available) this.zonesWithoutCapacity.delete(zone);
    else this.zonesWithoutCapacity.add(zone);
    this.log(`[fleet] zone ${zone}: ${available ? 'capacity available again' : 'insufficient capacity (launches there fail)'}`);
  }

  /** The instance's metadata endpoint (its INSTANCE_METADATA_URL), as 169.254.169.254 is on EC2. */
  metadataUrl(id: string): string {
    return this.metadata.urlFor(this.find(id).id);
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

  /**
   * Another build on the same platform (the mutation matrix): every instance ended at once (SIGKILL:
   * nothing of the old build survives to act), then every slot launched again with `extraEnv` over
   * its role's environment (e.g. CHAOS_BUILD). `beforeLaunch` runs with no instance up (e.g. to
   * empty the store). Pending replacements are dropped, zones regain capacity. Resolves once every
   * slot runs again.
   */
  async relaunch(
    extraEnv: Readonly<Record<string, string>>,
    readyTimeoutMs = 60_000,
    beforeLaunch: () => Promise<void> = () => Promise.resolve(),
  ): Promise<void> {
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    const old = [...this.current.values()];
    for (const instance of old) {
      this.retired.add(instance);
      instance.terminatedBy = 'SIGKILL';
      instance.state = 'shutting-down';
      this.shutDown(instance, 'SIGKILL');
    }
    await Promise.all(old.map((i) => i.process.ended));
    this.current.clear();
    this.zonesWithoutCapacity.clear();
    this.failedStarts.clear();
    const roles = ['api', 'worker'] as const;
    this.roleEnv = Object.fromEntries(roles.map((role) => [role, { ...this.options.roleEnv?.[role], ...extraEnv }]));
    await beforeLaunch();
    for (const slot of this.options.slots) this.launch(slot);
    await this.whenAllRunning(readyTimeoutMs);
  }

  /** Stops every instance (no replacements from now on). */
  async close(): Promise<void> {
    this.closing = true;
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    await Promise.all([...this.current.values()].map((i) => i.process.stop(5_000)));
    this.current.clear(); // stopped instances too: the group is gone
    await this.metadata.stop();
  }

  /**
   * SIGTERM (an OS shutdown: drain) escalating to SIGKILL, or SIGKILL at once (a crash). Not
   * awaited: callers wait for `process.ended`. A frozen instance is not woken (no SIGCONT): it
   * ends at the SIGKILL.
   */
  private shutDown(instance: LocalInstance, signal: 'SIGTERM' | 'SIGKILL'): void {
    const proc = instance.process;
    if (signal === 'SIGKILL') proc.signal('SIGKILL');
    else void proc.stop(this.options.terminateTimeoutMs ?? 30_000, { resume: false });
  }

  private terminateStopped(instance: LocalInstance): void {
    instance.terminatedBy = 'SIGKILL';
    instance.state = 'terminated';
    if (this.current.get(instance.slot.name) === instance) this.current.delete(instance.slot.name);
    const ended = instance.info();
    this.emit({ type: 'terminated', at: Date.now(), instance: ended, detail: 'terminated while stopped' });
    if (!this.closing) this.scheduleReplacement(instance, ended, 'terminated while stopped');
  }

  /** A zone for a new instance of `slot`: its own, else the other one, else none (no capacity anywhere). */
  private zoneFor(slot: FleetSlot): AvailabilityZone | undefined {
    for (const zone of [slot.az, OTHER_ZONE[slot.az]]) if (!this.zonesWithoutCapacity.has(zone)) return zone;
    return undefined;
  }

  private launch(slot: FleetSlot, zone: AvailabilityZone = slot.az): LocalInstance {
    const n = (this.launchCounts.get(slot.name) ?? 0) + 1;
    this.launchCounts.set(slot.name, n);
    const id = `i-${slot.name}-${n}`;
    const env = () => ({
      ...instanceEnv(slot, id, {
        host: this.options.host,
        env: { ...this.options.env, ...this.options.zoneEnv?.(zone) },
        roleEnv: this.roleEnv,
        chaosSeed: this.options.chaosSeed ?? 1,
        drainDelayMs: this.options.drainDelayMs ?? 0,
        faultRules: this.options.faultRules?.(slot.role) ?? [],
      }),
      INSTANCE_METADATA_URL: this.metadata.urlFor(id),
    });
    const script = join(this.options.distDir ?? join(repoRoot(), 'dist', 'apps'), slot.role, 'src', 'main.js');
    const onLine = this.options.onInstanceLine ?? ((instanceId: string, line: string) => console.log(`[${instanceId}] ${line}`));
    const instance = new LocalInstance(
      id,
      slot,
      zone,
      this.options.host,
      () => ({ script, env: env() }),
      (line) => onLine(id, line),
    );
    this.current.set(slot.name, instance);
    this.launched.set(id, instance);
    this.emit({ type: 'launched', at: Date.now(), instance: instance.info() });
    void this.watch(instance);
    return instance;
  }

  /**
   * Follows one boot of an instance: pending → running once live; on its end, the stop or reboot
   * it was asked for, or the slot's replacement.
   */
  private async watch(instance: LocalInstance): Promise<void> {
    const proc = instance.process;
    // No deadline: a launch that never comes up is the fleet's to judge (it stays `pending`,
    // visible to the user), and a dead one stops the wait at once.
    const live = await waitForHttp(`${instance.baseUrl}/health/live`, Infinity, {
      abandonOn: proc.ended,
      intervalMs: 100,
      attemptTimeoutMs: 1_000,
    });
    if (live) {
      instance.live = true;
      this.failedStarts.delete(instance.slot.name);
      // Once per boot (a launch, a start, a reboot): the fault registry pushes its rules on it.
      if (instance.state === 'pending' || instance.state === 'running') {
        instance.state = 'running';
        this.emit({ type: 'healthy', at: Date.now(), instance: instance.info() });
      }
    }
    const exit = await proc.ended;
    const how = exit.signal ?? `exit code ${exit.code}`;
    if (instance.state === 'stopping' && !this.closing) {
      instance.state = 'stopped';
      this.emit({ type: 'stopped', at: Date.now(), instance: instance.info(), detail: how });
      this.log(`[fleet] ${instance.slot.name}: ${instance.id} stopped (${how})`);
      return;
    }
    if (instance.rebooting && !this.closing && instance.state !== 'shutting-down') {
      instance.rebooting = false;
      this.emit({ type: 'stopped', at: Date.now(), instance: instance.info(), detail: `reboot (${how})` });
      instance.boot();
      instance.state = 'running';
      this.emit({ type: 'started', at: Date.now(), instance: instance.info(), detail: 'reboot' });
      this.log(`[fleet] ${instance.slot.name}: ${instance.id} rebooted (pid ${instance.process.pid})`);
      return void this.watch(instance);
    }
    const spot = instance.spotAction !== undefined && !instance.terminatedBy;
    instance.state = 'terminated';
    if (this.current.get(instance.slot.name) === instance) this.current.delete(instance.slot.name);
    const ended = instance.info();
    const detail = spot ? `spot interruption (${how})` : how;
    this.emit({ type: instance.terminatedBy || spot ? 'terminated' : 'died', at: Date.now(), instance: ended, detail });
    if (this.closing || this.retired.has(instance)) return;
    this.scheduleReplacement(instance, ended, detail);
  }

  private scheduleReplacement(old: LocalInstance, ended: InstanceInfo, how: string): void {
    const slot = old.slot;
    const failed = old.live ? 0 : (this.failedStarts.get(slot.name) ?? 0) + 1;
    this.failedStarts.set(slot.name, failed);
    const delay = Math.min(MAX_BACKOFF_MS, (this.options.replaceAfterMs ?? 2_000) * 2 ** failed);
    const why = old.terminatedBy || old.spotAction ? `terminated (${how})` : `died (${how})`;
    this.log(`[fleet] ${slot.name}: ${old.id} ${why}; replacing it in ${delay} ms`);
    this.replaceLater(old, ended, delay);
  }

  private replaceLater(old: LocalInstance, ended: InstanceInfo, delay: number): void {
    const slot = old.slot;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closing) return;
      const zone = this.zoneFor(slot);
      if (!zone) {
        this.log(`[fleet] ${slot.name}: no capacity in any zone; the replacement of ${old.id} waits`);
        return this.replaceLater(old, ended, this.options.replaceAfterMs ?? 2_000);
      }
      const replacement = this.launch(slot, zone);
      this.emit({ type: 'replaced', at: Date.now(), instance: ended, replacement: replacement.info() });
      const moved = zone !== slot.az ? ` in zone ${zone} (no capacity in ${slot.az})` : '';
      this.log(
        `[fleet] ${slot.name}: replaced ${old.id} with ${replacement.id}${moved} (pid ${replacement.process.pid}, ${replacement.baseUrl})`,
      );
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

/** A synchronous step as the Fleet interface's promise: its error becomes the rejection, as in an async method. */
function settled(step: () => void): Promise<void> {
  try {
    step();
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
