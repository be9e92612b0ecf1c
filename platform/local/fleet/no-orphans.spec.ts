import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '@imagery/kernel/repo-root';
import { eventually } from '@imagery/testing/platform/control-plane-harness';

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

/**
 * Every process the platform starts (moto, Toxiproxy, HAProxy, the fleet) is spawned through
 * spawnOrphanSafe. Here a supervisor is killed with SIGKILL - no handler runs - and its children,
 * one of them frozen like a stopped instance, must die with it.
 */
(process.platform === 'linux' ? describe : describe.skip)('children of a killed supervisor', () => {
  it('die with it, frozen ones included', async () => {
    const helper = join(repoRoot(), 'dist/libs/kernel/src/process/spawn-orphan-safe.js');
    if (!existsSync(helper)) throw new Error('run `npm run build` first (npm test does)');
    const supervisor = spawn(
      process.execPath,
      [
        '-e',
        `const { spawnOrphanSafe } = require(${JSON.stringify(helper)});
       const running = spawnOrphanSafe(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
       const frozen = spawnOrphanSafe('sleep', ['60'], { stdio: 'ignore' });
       setTimeout(() => { process.kill(frozen.pid, 'SIGSTOP'); console.log(JSON.stringify([running.pid, frozen.pid])); }, 300);
       setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [line] = (await once(createInterface({ input: supervisor.stdout }), 'line')) as [string];
    const pids = JSON.parse(line) as number[];
    expect(pids.every((pid) => !ended(pid))).toBe(true);

    supervisor.kill('SIGKILL');
    await once(supervisor, 'exit');
    await eventually(() => (pids.every(ended) ? true : undefined), 3_000, 'children ended');
  });
});
