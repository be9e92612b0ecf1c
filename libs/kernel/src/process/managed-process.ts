import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { spawnOrphanSafe } from './spawn-orphan-safe';

export interface ManagedProcessOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  /** Receives each output line, prefixed by nothing; defaults to the console with `[name]`. */
  readonly onLine?: (line: string) => void;
}

/** How a process ended: its exit code, or the signal that killed it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * A child process whose output is prefixed and which is always stopped: SIGTERM, then SIGKILL.
 * It dies with us even if we are killed (spawnOrphanSafe).
 */
export class ManagedProcess {
  private readonly child: ChildProcess;
  /** Resolves with the code or signal once the process has ended (or failed to start). */
  readonly ended: Promise<ProcessExit>;

  constructor(readonly options: ManagedProcessOptions) {
    this.child = spawnOrphanSafe(options.command, options.args, {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const print = options.onLine ?? ((line: string) => console.log(`[${options.name}] ${line}`));
    for (const stream of [this.child.stdout, this.child.stderr]) if (stream) createInterface({ input: stream }).on('line', print);
    this.ended = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      this.child.once('error', (err) => {
        print(`failed to start: ${err.message}`);
        resolve({ code: -1, signal: null });
      });
    });
    stopOnExit.add(this);
    void this.ended.then(() => stopOnExit.delete(this));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal if the process still runs; true if sent. */
  signal(signal: NodeJS.Signals): boolean {
    return this.running && this.child.kill(signal);
  }

  /** SIGTERM (and SIGCONT, so a frozen child can act on it), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    this.signal('SIGCONT');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.ended;
    clearTimeout(timer);
  }

  /** Last-resort cleanup if the parent exits without stopping its children. */
  killNow(): void {
    this.signal('SIGKILL');
  }
}

const stopOnExit = new Set<ManagedProcess>();
process.once('exit', () => stopOnExit.forEach((p) => p.killNow()));
