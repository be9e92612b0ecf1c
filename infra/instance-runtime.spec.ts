import { chaosConfigFrom } from '@imagery/nest-platform';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApiConfig } from '../apps/api/src/config/api-config';
import { loadWorkerConfig } from '../apps/worker/src/config/worker-config';
import { repoRoot } from '@imagery/kernel/repo-root';
import { instanceUnit, userData, userDataEnv } from '@imagery/testing/infra/parsed-templates';
import { text } from '@imagery/testing/infra/template-values';
import { useTempDirs } from '@imagery/testing/temp-dirs';

const tempDir = useTempDirs();

/**
 * The runtime the stack gives its instances, read from what it renders: the user data (the
 * package it installs, the /etc/imagery/<role>.env it writes) and the systemd unit that starts the
 * app. Node 22 LTS, NODE_ENV=production, and with that environment chaos mode cannot be switched on.
 */
const roles = [
  { role: 'api', template: 'ApiLaunchTemplate', load: loadApiConfig },
  { role: 'worker', template: 'WorkerLaunchTemplate', load: loadWorkerConfig },
] as const;

const nodeMajorInstalled = (template: string): number => Number(/dnf install -y nodejs(\d+)\n/.exec(userData(template))?.[1]);

describe('the instances run Node 22 LTS in production mode', () => {
  it.each(roles)('$role: installs nodejs22 and the unit runs that very binary', ({ template }) => {
    expect(nodeMajorInstalled(template)).toBe(22);
    // AL2023 installs nodejs22 as /usr/bin/node-22; plain `node` is an alternatives link that may point elsewhere
    expect(instanceUnit().ExecStart).toEqual([`/usr/bin/node-${nodeMajorInstalled(template)} dist/apps/%i/src/main.js`]);
  });

  it('Node 22 is within the versions the project supports (package.json engines)', () => {
    const engines = text(JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')), 'engines', 'node');
    const minimum = Number(/>=\s*(\d+)/.exec(engines)?.[1]);
    expect(nodeMajorInstalled('ApiLaunchTemplate')).toBeGreaterThanOrEqual(minimum);
  });

  it.each(roles)('$role: the rendered environment says NODE_ENV=production and is valid configuration', ({ role, template, load }) => {
    const env = userDataEnv(template, role);
    expect(env.NODE_ENV).toBe('production');
    expect(env.CHAOS_MODE).toBeUndefined();
    expect(chaosConfigFrom(load(env))).toMatchObject({ enabled: false });
  });

  it.each(roles)('$role: chaos mode is refused with that environment (and only because of NODE_ENV)', ({ role, template, load }) => {
    const env = userDataEnv(template, role);
    expect(() => chaosConfigFrom(load({ ...env, CHAOS_MODE: 'true' }))).toThrow(/CHAOS_MODE is refused in a production build/);
    expect(chaosConfigFrom(load({ ...env, NODE_ENV: 'development', CHAOS_MODE: 'true' }))).toMatchObject({ enabled: true });
  });

  it.each(roles)('$role: the built app, started with that environment plus CHAOS_MODE=true, exits before serving', ({ role, template }) => {
    const main = join(repoRoot(), 'dist', 'apps', role, 'src', 'main.js');
    if (!existsSync(main)) throw new Error('run `npm run build` first (npm test does)');
    // Only the rendered environment (and PATH): nothing of this machine's leaks in — except the
    // upload spool, whose directory (the unit's StateDirectory) exists only on the instance.
    const spool = role === 'api' ? { UPLOAD_SPOOL_DIR: tempDir('spool-') } : {};
    const env = { ...userDataEnv(template, role), ...spool, CHAOS_MODE: 'true', PATH: process.env.PATH ?? '' };
    const run = spawnSync(process.execPath, [main], { env, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('CHAOS_MODE is refused in a production build (NODE_ENV=production)');
    expect(run.stdout).not.toMatch(/listening/);
  });
});

describe('the upload spool is on disk', () => {
  const unit = instanceUnit();
  const spool = userDataEnv('ApiLaunchTemplate', 'api').UPLOAD_SPOOL_DIR;

  it("UPLOAD_SPOOL_DIR is the API unit's state directory under /var/lib, not tmpfs", () => {
    expect(spool).toBe('/var/lib/imagery/api');
    expect(unit.StateDirectory).toEqual(['imagery/%i']); // /var/lib/imagery/<role>, writable under ProtectSystem=strict
    expect(spool.replace('/var/lib/', '')).toBe(unit.StateDirectory[0].replace('%i', 'api'));
    expect(unit.ProtectSystem).toEqual(['strict']);
    for (const ramBacked of ['/tmp', '/run', '/dev/shm', '/var/tmp']) expect(spool.startsWith(ramBacked)).toBe(false);
    expect(loadApiConfig(userDataEnv('ApiLaunchTemplate', 'api')).UPLOAD_SPOOL_DIR).toBe(spool);
  });

  it('each start empties the spool (a crash can leave half-written uploads behind)', () => {
    expect(unit.ExecStartPre).toEqual(['/usr/bin/find /var/lib/imagery/%i -mindepth 1 -delete']);
  });
});
