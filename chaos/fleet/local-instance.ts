import { ManagedProcess } from '../../scripts/platform/managed-process';
import type { InstanceInfo, InstanceState } from '../control-plane';
import type { FleetSlot } from './fleet-slot';

/** One launch of a slot: an OS process plus the EC2-like view of it. */
export class LocalInstance {
  state: InstanceState = 'pending';
  /** Answered /health/live at least once (EC2's status checks passed). */
  live = false;
  /** Why it is shutting down, when the fleet was asked to terminate it. */
  terminatedBy?: 'SIGTERM' | 'SIGKILL';
  readonly launchedAt = Date.now();
  readonly process: ManagedProcess;
  readonly baseUrl: string;
  /** The last lines of its output, for the error when a launch never comes up. */
  readonly tail: string[] = [];

  constructor(
    readonly id: string,
    readonly slot: FleetSlot,
    host: string,
    command: { readonly script: string; readonly env: Record<string, string> },
    onLine: (line: string) => void,
  ) {
    this.baseUrl = `http://${host}:${slot.port}`;
    const remember = (line: string): void => {
      this.tail.push(line);
      if (this.tail.length > 20) this.tail.shift();
      onLine(line);
    };
    this.process = new ManagedProcess({ name: id, command: process.execPath, args: [command.script], env: command.env, onLine: remember });
  }

  info(): InstanceInfo {
    return {
      id: this.id,
      role: this.slot.role,
      az: this.slot.az,
      state: this.state,
      tags: { Role: this.slot.role, AZ: this.slot.az, Name: this.slot.name },
      pid: this.process.pid,
      baseUrl: this.baseUrl,
      launchedAt: this.launchedAt,
    };
  }
}
