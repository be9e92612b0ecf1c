import { createWriteStream } from 'node:fs';
import { ManagedProcess, type ProcessExit } from '@imagery/kernel/process/managed-process';

/**
 * The kernel's supervisor (ManagedProcess: orphan-safe, SIGTERM then SIGKILL) with what the benches
 * add to it: every output line kept in `logFile`, listeners added after the start, and how the
 * process ended as one word ("code 0", "SIGTERM").
 */
export interface LoggedProcess {
  readonly pid: number;
  /** How the process ended, once it has. */
  readonly exited: Promise<string>;
  /** Called with every line the process writes to stdout or stderr. */
  onLine(listener: (line: string) => void): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone, with how it ended. */
  stop(graceMs?: number): Promise<string>;
}

export function startLoggedProcess(command: string, args: string[], env: Record<string, string>, logFile: string): LoggedProcess {
  const log = createWriteStream(logFile);
  const listeners: ((line: string) => void)[] = [];
  const child = new ManagedProcess({
    name: command,
    command,
    args,
    env,
    onLine: (line) => {
      if (!log.writableEnded) log.write(`${line}\n`);
      listeners.forEach((listener) => listener(line));
    },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot spawn ${command}`);
  const exited = child.ended.then(describeExit);
  return {
    pid,
    exited,
    onLine: (listener) => void listeners.push(listener),
    // The log closes here rather than at the exit: the last lines may still be on their way then.
    stop: async (graceMs = 10_000) => {
      await child.stop(graceMs);
      const how = await exited;
      log.end();
      return how;
    },
  };
}

function describeExit(exit: ProcessExit): string {
  return exit.signal ?? `code ${exit.code}`;
}
