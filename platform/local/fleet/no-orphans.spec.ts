import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess } from '@imagery/kernel/process/managed-process';
import { repoRoot } from '@imagery/kernel/repo-root';
import { eventually } from '@imagery/testing/eventually';

/** Gone, or a zombie waiting for whoever inherited it to reap it: either way no longer running. */
function ended(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    return readFileSync(stat, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

/** Starts two orphan-safe children, freezes one, prints their pids and idles. */
const supervisorScript = (helper: string): string =>
  `const { spawnOrphanSafe } = require(${JSON.stringify(helper)});
   const running = spawnOrphanSafe(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
   const frozen = spawnOrphanSafe('sleep', ['60'], { stdio: 'ignore' });
   setTimeout(() => { process.kill(frozen.pid, 'SIGSTOP'); console.log(JSON.stringify([running.pid, frozen.pid])); }, 300);
   setInterval(() => {}, 1000);`;

/**
 * Every process the platform starts (moto, Toxiproxy, HAProxy, the fleet) is spawned through
 * spawnOrphanSafe. Here a supervisor is killed with SIGKILL - no handler runs - and its children,
 * one of them frozen like a stopped instance, must die with it.
 */
(process.platform === 'linux' ? describe : describe.skip)('children of a killed supervisor', () => {
  it('die with it, frozen ones included', async () => {
    const helper = join(repoRoot(), 'dist/libs/kernel/src/process/spawn-orphan-safe.js');
    if (!existsSync(helper)) throw new Error('run `npm run build` first (npm test does)');
    let firstLine!: (line: string) => void;
    const printed = new Promise<string>((resolve) => (firstLine = resolve));
    const supervisor = new ManagedProcess({
      name: 'supervisor',
      command: process.execPath,
      args: ['-e', supervisorScript(helper)],
      onLine: (line) => firstLine(line),
    });
    const pids = JSON.parse(await printed) as number[];
    expect(pids.every((pid) => !ended(pid))).toBe(true);

    supervisor.signal('SIGKILL');
    await supervisor.ended;
    await eventually(() => (pids.every(ended) ? true : undefined), 3_000, 'children ended');
  });
});
