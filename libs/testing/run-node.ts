import type { ChildProcess } from 'node:child_process';
import { spawnOrphanSafe } from '@imagery/kernel/process/spawn-orphan-safe';

/** Where and with what a script runs. `env` replaces the whole environment (default: this one). */
export interface NodeScriptOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** How a node child ended: its exit code, or the signal that killed it, or why it could not start. */
export interface NodeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
}

/** A node child a test started and will stop: what it printed so far, and its end. */
export interface NodeChild {
  /** stdout and stderr as they came. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Resolves once it ended and its output is read (or shortly after the exit, if a grandchild holds the pipes). */
  readonly exited: Promise<NodeExit>;
  kill(signal: NodeJS.Signals): void;
}

/** How long `exited` waits, after the exit, for output still in the pipes. */
const OUTPUT_DRAIN_MS = 1_000;

/**
 * Starts `node <script> <args>`, collecting what it prints: for a server a test talks to, then
 * kills. The child dies with this process, however it ends (spawnOrphanSafe).
 */
export function startNode(
  script: string,
  args: readonly string[] = [],
  { env = { ...process.env }, cwd }: NodeScriptOptions = {},
): NodeChild {
  const child = spawnOrphanSafe(process.execPath, [script, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const printed = { output: '', stdout: '', stderr: '' };
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    printed[stream] += chunk.toString();
    printed.output += chunk.toString();
  };
  child.stdout?.on('data', collect('stdout'));
  child.stderr?.on('data', collect('stderr'));
  return {
    output: () => printed.output,
    stdout: () => printed.stdout,
    stderr: () => printed.stderr,
    exited: exitOf(child),
    kill: (signal) => void child.kill(signal),
  };
}

/** The child's end: 'close' once the pipes are read to the end; after an 'exit' it is given OUTPUT_DRAIN_MS. */
function exitOf(child: ChildProcess): Promise<NodeExit> {
  return new Promise((resolve) => {
    let exit: NodeExit | undefined;
    const end = (): void => resolve(exit ?? { code: null, signal: null });
    child.once('exit', (code, signal) => {
      exit ??= { code, signal };
      setTimeout(end, OUTPUT_DRAIN_MS).unref();
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      exit ??= { code, signal };
      end();
    });
    child.once('error', (error) => {
      exit ??= { code: null, signal: null, error };
      end();
    });
  });
}

/** A script run to its end: how it ended, what it printed, how long it took. */
export interface NodeRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr as they came. */
  readonly output: string;
  readonly ms: number;
}

/**
 * Runs `node <script> <args>` to its end (a CLI); rejects if it could not start. Past `timeoutMs`
 * (if given) it is killed with SIGKILL, and the run ends with that signal.
 */
export async function runNode(
  script: string,
  args: readonly string[],
  options: NodeScriptOptions & { timeoutMs?: number } = {},
): Promise<NodeRun> {
  const started = Date.now();
  const child = startNode(script, args, options);
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const { code, signal, error } = await child.exited;
  clearTimeout(timer);
  if (error) throw error;
  return { code, signal, stdout: child.stdout(), stderr: child.stderr(), output: child.output(), ms: Date.now() - started };
}
