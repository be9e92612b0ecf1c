import type { ChildProcess } from 'node:child_process';
import { ProcessOutput } from './process-output';
import { spawnOrphanSafe } from './spawn-orphan-safe';

export interface ManagedProcessOptions {
  /** Prefixes its lines on the console (the default output). */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Added to this process's environment (a whole `process.env`-like object works too). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Receives each output line (stdout and stderr). Default: the console with `[name]`, unless
   * the output goes to `logFile`; more listeners can be added with addLineListener.
   */
  readonly onLine?: (line: string) => void;
  /**
   * Where the output is written as it comes (created, or emptied, at start). Without `onLine` the
   * child writes it directly (no lines are read here, addLineListener throws).
   */
  readonly logFile?: string;
}

/** How a process ended: its exit code, or the signal that killed it, or why it could not start. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The spawn error (e.g. the command is missing), when it could not start. */
  readonly error?: string;
}

/** An exit in a few words: `SIGTERM`, `code 0`, or the spawn error. */
export function describeExit(exit: ProcessExit): string {
  return exit.error ?? exit.signal ?? `code ${exit.code}`;
}

/** How long `ended` waits, after the exit, for output still in the pipes (a grandchild could hold them). */
const OUTPUT_DRAIN_MS = 1_000;

/**
 * A child process whose output is prefixed (or logged) and which is always stopped: SIGTERM, then
 * SIGKILL. It dies with us even if we are killed (spawnOrphanSafe), and a normal exit of this
 * process kills it.
 */
export class ManagedProcess {
  private readonly child: ChildProcess;
  private readonly output: ProcessOutput;
  /**
   * Resolves with the code or signal once the process has ended (or failed to start) and its
   * output has been read to the end: every line delivered, the log file complete.
   */
  readonly ended: Promise<ProcessExit>;

  constructor(readonly options: ManagedProcessOptions) {
    const toConsole = options.logFile ? undefined : (line: string): void => console.log(`[${options.name}] ${line}`);
    this.output = new ProcessOutput(options.logFile, options.onLine ?? toConsole);
    this.child = spawnOrphanSafe(options.command, options.args, {
      env: { ...process.env, ...options.env },
      stdio: this.output.stdio,
    });
    this.output.read(this.child);
    this.ended = this.whenEnded().finally(() => this.output.close());
    stopOnExit.add(this);
    void this.ended.then(() => stopOnExit.delete(this));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** One more receiver of each output line, from now on (not when the child writes its log file itself). */
  addLineListener(listener: (line: string) => void): void {
    this.output.addListener(listener);
  }

  /** Sends a signal if the process still runs; true if sent. */
  signal(signal: NodeJS.Signals): boolean {
    return this.running && this.child.kill(signal);
  }

  /**
   * SIGTERM, then SIGKILL after `graceMs`; resolves once it ended. With `resume` (the default) a
   * SIGCONT follows the SIGTERM, so a frozen child can act on it; without, a frozen child stays
   * frozen until the SIGKILL.
   */
  async stop(graceMs = 10_000, { resume = true }: { readonly resume?: boolean } = {}): Promise<ProcessExit> {
    if (!this.running) return this.ended;
    this.signal('SIGTERM');
    if (resume) this.signal('SIGCONT');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      return await this.ended;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Last-resort cleanup if the parent exits without stopping its children. */
  killNow(): void {
    this.signal('SIGKILL');
  }

  /**
   * 'close' comes once the pipes are read to the end; after an 'exit' it is given OUTPUT_DRAIN_MS.
   * Without pipes (the child writes its log file) there is nothing to drain: the exit ends it.
   */
  private whenEnded(): Promise<ProcessExit> {
    return new Promise((resolve) => {
      let exit: ProcessExit | undefined;
      const end = (): void => resolve(exit ?? { code: null, signal: null });
      this.child.once('exit', (code, signal) => {
        exit ??= { code, signal };
        if (this.output.piped) setTimeout(end, OUTPUT_DRAIN_MS).unref();
        else end();
      });
      this.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        exit ??= { code, signal };
        end();
      });
      this.child.once('error', (err) => {
        this.output.note(`failed to start: ${err.message}`);
        exit ??= { code: -1, signal: null, error: err.message };
        end();
      });
    });
  }
}

const stopOnExit = new Set<ManagedProcess>();
process.once('exit', () => stopOnExit.forEach((p) => p.killNow()));
