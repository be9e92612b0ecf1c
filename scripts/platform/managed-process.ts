import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ManagedProcessOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  /** Receives each output line, prefixed by nothing; defaults to the console with `[name]`. */
  readonly onLine?: (line: string) => void;
}

/** A child process whose output is prefixed and which is always stopped: SIGTERM, then SIGKILL. */
export class ManagedProcess {
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(readonly options: ManagedProcessOptions) {
    this.child = spawn(options.command, [...options.args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const print = options.onLine ?? ((line: string) => console.log(`[${options.name}] ${line}`));
    for (const stream of [this.child.stdout, this.child.stderr]) if (stream) createInterface({ input: stream }).on('line', print);
    this.exited = once(this.child, 'exit').then(([code]) => code as number | null);
    stopOnExit.add(this);
    void this.exited.then(() => stopOnExit.delete(this));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Last-resort cleanup if the parent exits without stopping its children. */
  killNow(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}

const stopOnExit = new Set<ManagedProcess>();
process.once('exit', () => stopOnExit.forEach((p) => p.killNow()));
