import type { ChildProcess } from 'node:child_process';
import { BIND_FAILURE, PortRetryOptions, PortTakenError, startOnFreePort } from '@imagery/kernel/free-port';
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
  /** True once what it printed matches `pattern`; false if it ends first. */
  printed(pattern: RegExp): Promise<boolean>;
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
  const waiting = new Set<() => void>(); // printed() calls to check again on new output
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    printed[stream] += chunk.toString();
    printed.output += chunk.toString();
    waiting.forEach((check) => check());
  };
  child.stdout?.on('data', collect('stdout'));
  child.stderr?.on('data', collect('stderr'));
  const exited = exitOf(child);
  return {
    output: () => printed.output,
    stdout: () => printed.stdout,
    stderr: () => printed.stderr,
    exited,
    printed: (pattern) =>
      new Promise<boolean>((resolve) => {
        const check = (): void => {
          if (!pattern.test(printed.output)) return;
          waiting.delete(check);
          resolve(true);
        };
        waiting.add(check);
        check();
        void exited.then(() => {
          check(); // the last output, read before the end
          waiting.delete(check);
          resolve(false);
        });
      }),
    kill: (signal) => void child.kill(signal),
  };
}

/** A server a test started on a port picked for it, listening there. */
export interface NodeServer {
  readonly child: NodeChild;
  readonly port: number;
  readonly url: string;
}

/**
 * Starts a server script (one that logs `listening on http://<host>:<port>` once bound, as both
 * apps do) on a freshly picked port, and resolves once it says it listens. A readiness probe alone
 * is not proof: another test's server can take the port between the pick and our bind, answer the
 * probe, while ours exits with EADDRINUSE. A port taken that way is given up for another
 * (startOnFreePort); any other end before listening rejects with what the script printed.
 */
export function startNodeServer(
  what: string,
  script: string,
  envOf: (port: number) => NodeJS.ProcessEnv,
  options: {
    readonly cwd?: string;
    readonly host?: string;
    readonly timeoutMs?: number;
    readonly pickPort?: PortRetryOptions['pickPort'];
  } = {},
): Promise<NodeServer> {
  const host = options.host ?? '127.0.0.1';
  return startOnFreePort(
    what,
    async (port) => {
      const child = startNode(script, [], { env: envOf(port), cwd: options.cwd });
      const timeoutMs = options.timeoutMs ?? 30_000;
      const timeout = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const listening = await child.printed(new RegExp(`listening on http://${host.replace(/\./g, '\\.')}:${port}\\b`));
      clearTimeout(timeout);
      if (listening) return { child, port, url: `http://${host}:${port}` };
      const output = child.output();
      const how = `${what} ended before listening on ${host}:${port} (killed after ${timeoutMs} ms if still running)`;
      const ended = `${how}:\n${output.slice(-4_000)}`;
      throw BIND_FAILURE.test(output) ? new PortTakenError(ended) : new Error(ended);
    },
    { host, pickPort: options.pickPort },
  );
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
