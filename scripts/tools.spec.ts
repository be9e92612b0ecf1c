import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import { useTempDirs } from '@imagery/testing/temp-dirs';

const tempDir = useTempDirs();
const TOOLS = join(repoRoot(), 'scripts', 'tools.sh');
const BASH = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
const UTILITIES = ['cat', 'chmod', 'flock', 'grep', 'id', 'mkdir', 'mktemp', 'rm', 'sleep', 'touch'];

/**
 * tools.sh against fake apt-get and python3 on a PATH of their own: what it does when another apt holds
 * the lock, and when jest's workers ask for one missing tool at once (both seen on a new machine).
 */
function sandbox(fakes: Record<string, string>) {
  const dir = tempDir('tools-sh-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const name of UTILITIES) {
    const real = spawnSync(BASH, ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(real, join(bin, name));
  }
  for (const [name, body] of Object.entries({ sudo: 'exec "$@"', ...fakes })) {
    writeFileSync(join(bin, name), `#!${BASH}\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const env = { PATH: bin, IMAGERY_TOOLS_DIR: join(dir, 'cache'), LOG: join(dir, 'log') };
  const log = () => (existsSync(env.LOG) ? readFileSync(env.LOG, 'utf8').trim().split('\n') : []);
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(BASH, [TOOLS, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
  return { run, log };
}

/** apt-get that logs its arguments and, for `update`, answers its script's lines in turn (the last one repeats). */
const fakeAptGet = (updateAnswers: string[]) => `
echo "$*" >> "$LOG"
case "$*" in *update*) ;; *) exit 0 ;; esac
n=$(cat "$LOG.updates" 2>/dev/null || echo 0); echo $((n + 1)) > "$LOG.updates"
answers=(${updateAnswers.map((a) => `'${a}'`).join(' ')})
answer="\${answers[$n]:-\${answers[-1]}}"
[ -z "$answer" ] && exit 0
echo "$answer" >&2; exit 100`;

const HELD = 'E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)';

describe('scripts/tools.sh', () => {
  it('waits while another apt holds its lock, then installs', async () => {
    const { run, log } = sandbox({ 'apt-get': fakeAptGet([HELD, HELD, '']) });
    const result = await run('haproxy');
    expect(result).toMatchObject({ code: 0 });
    expect(log()).toEqual([
      ...Array<string>(3).fill('-o DPkg::Lock::Timeout=600 update -qq'),
      '-o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends haproxy',
    ]);
  });

  it("fails at once, with apt's own message, on any other error", async () => {
    const { run, log } = sandbox({ 'apt-get': fakeAptGet(['E: The repository is not signed.']) });
    const result = await run('haproxy');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('E: The repository is not signed.');
    expect(log()).toEqual(['-o DPkg::Lock::Timeout=600 update -qq']);
  });

  it('installs a tool once when two processes ask for it at the same time', async () => {
    const { run, log } = sandbox({
      // `python3 -m venv DIR` makes a pip whose install takes a second, long enough for the two to overlap
      python3: `mkdir -p "$3/bin"; printf '#!${BASH}\\necho "install $$"  >> "$LOG"; sleep 1\\n' > "$3/bin/pip"; chmod +x "$3/bin/pip"`,
    });
    const [a, b] = await Promise.all([run('cfn-lint'), run('cfn-lint')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(log()).toHaveLength(1);
  });
});
