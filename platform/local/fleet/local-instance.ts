import { ManagedProcess } from '@imagery/kernel/process/managed-process';
import type { InstanceInfo, InstanceState } from '@imagery/control-plane/control-plane';
import type { FleetSlot } from './fleet-slot';

/** What a boot of the instance runs: one OS process per boot (a stopped instance boots again). */
export interface InstanceCommand {
  readonly script: string;
  readonly env: Record<string, string>;
}

/**
 * One launch of a slot: the EC2-like view of an instance plus the OS process of its current boot.
 * Like EC2, an instance keeps its id across stop/start and reboot; only a launch makes a new id.
 */
export class LocalInstance {
  state: InstanceState = 'pending';
  /** Answered /health/live at least once in this boot (EC2's status checks passed). */
  live = false;
  /** Why it is shutting down, when the fleet was asked to terminate it. */
  terminatedBy?: 'SIGTERM' | 'SIGKILL';
  /** Asked to reboot: when this boot ends, the same instance boots again. */
  rebooting = false;
  /** A spot interruption notice, as IMDS's spot/instance-action answers it. */
  spotAction?: { readonly action: 'terminate' | 'stop'; readonly time: string };
  readonly launchedAt = Date.now();
  process: ManagedProcess;
  readonly baseUrl: string;
  /** The last lines of its output, for the error when a launch never comes up. */
  readonly tail: string[] = [];

  constructor(
    readonly id: string,
    readonly slot: FleetSlot,
    /** Where it runs: the slot's zone, or the other one when the slot's had no capacity at launch. */
    readonly az: 'a' | 'b',
    host: string,
    /** Computed at each boot, so a new boot starts with the fault rules active then. */
    private readonly command: () => InstanceCommand,
    private readonly onLine: (line: string) => void,
  ) {
    this.baseUrl = `http://${host}:${slot.port}`;
    this.process = this.spawn();
  }

  /** A new boot of the same instance (EC2 start after stop): a fresh process, same id, same slot. */
  boot(): void {
    this.live = false;
    this.process = this.spawn();
  }

  info(): InstanceInfo {
    return {
      id: this.id,
      role: this.slot.role,
      az: this.az,
      state: this.state,
      tags: { Role: this.slot.role, AZ: this.az, Name: this.slot.name },
      pid: this.process.pid,
      baseUrl: this.baseUrl,
      launchedAt: this.launchedAt,
    };
  }

  private spawn(): ManagedProcess {
    const remember = (line: string): void => {
      this.tail.push(line);
      if (this.tail.length > 20) this.tail.shift();
      this.onLine(line);
    };
    const { script, env } = this.command();
    return new ManagedProcess({ name: this.id, command: process.execPath, args: [script], env, onLine: remember });
  }
}
