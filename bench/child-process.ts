import { type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { spawnOrphanSafe } from '@imagery/kernel/process/spawn-orphan-safe';

export interface ManagedChild {
  readonly pid: number;
  /** How the child ended ("code 0", "SIGTERM"...), once it has. */
  readonly exited: Promise<string>;
  /** Called with every line the child writes to stdout or stderr. */
  onLine(listener: (line: string) => void): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
  stop(graceMs?: number): Promise<string>;
}

/**
 * Spawns `command args` with its output in `logFile`, so that it dies with us: stop() ends it, a
 * normal exit of this process kills it, and the kernel kills it if this process dies abruptly
 * (spawnOrphanSafe: same pid, so /proc/<pid> and signals reach the command itself).
 */
export function spawnManaged(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ManagedChild {
  const child: ChildProcess = spawnOrphanSafe(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  if (child.pid === undefined) throw new Error(`cannot spawn ${command}`);
  const pid = child.pid;

  const log = createWriteStream(logFile);
  const listeners: ((line: string) => void)[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.pipe(log, { end: false });
    createInterface({ input: stream }).on('line', (line) => listeners.forEach((l) => l(line)));
  }

  let gone: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve((gone ??= signal ?? `code ${code}`)));
    child.once('error', (error) => resolve((gone ??= error.message)));
  }).finally(() => log.end());
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.on('exit', killOnExit);

  let stopping: Promise<string> | undefined;
  const stop = (graceMs = 10_000): Promise<string> =>
    (stopping ??= (async () => {
      if (!gone) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
        if ((await Promise.race([exited, grace])) === 'timeout') child.kill('SIGKILL');
        clearTimeout(timer);
      }
      const how = await exited;
      process.off('exit', killOnExit);
      return how;
    })());

  return { pid, exited, onLine: (listener) => void listeners.push(listener), stop };
}
