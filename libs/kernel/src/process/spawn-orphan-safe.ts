import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';

// util-linux's setpriv is in every Debian/Ubuntu base system (util-linux is Essential).
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

// Runs under the death signal setpriv has just set. If our parent died between fork and prctl, the
// kernel would never signal us, so give up; otherwise become the real program in place (same pid,
// so the caller's signals - SIGTERM, SIGSTOP, SIGCONT - reach the program itself).
const CHECK_PARENT_THEN_EXEC = '[ "$PPID" = "$0" ] || exit 125; exec "$@"';

/**
 * `spawn`, but the child dies with us however we die: on Linux it starts with PR_SET_PDEATHSIG =
 * SIGKILL (the kernel kills it when this process ends, even by SIGKILL or a crash, and even while
 * the child is frozen by SIGSTOP). Elsewhere it is a plain spawn, and callers' 'exit' hooks are the
 * only protection. ManagedProcess (the supervisor of every child the tools start: moto, Toxiproxy,
 * HAProxy, the fleet's instances, the bench's) spawns through it.
 */
export function spawnOrphanSafe(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  if (process.platform !== 'linux' || !SETPRIV) return spawn(command, [...args], options);
  return spawn(
    SETPRIV,
    ['--pdeathsig', 'KILL', '--', '/bin/sh', '-c', CHECK_PARENT_THEN_EXEC, String(process.pid), command, ...args],
    options,
  );
}
