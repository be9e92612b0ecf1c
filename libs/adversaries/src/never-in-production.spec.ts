import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..');
/** The one place allowed to name the module: the seam's dynamic import. */
const SEAM = 'libs/nest-platform/src/chaos/adversary.ts';
const SEAM_IMPORT = "await import('@imagery/adversaries')";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

/** Every line naming the adversaries module in a string (a module specifier: by alias or by path). */
const mentions = (text: string): string[] =>
  text.match(/[^\n]*['"`][^'"`\n]*(@imagery\/adversaries|adversaries\/src)[^'"`\n]*['"`][^\n]*/g) ?? [];

describe('the adversaries never reach the production code path', () => {
  it('no file of apps/ or libs/ names libs/adversaries, except the seam, and the seam only through a dynamic import', () => {
    const offenders: string[] = [];
    for (const file of [...sourceFiles(join(ROOT, 'apps')), ...sourceFiles(join(ROOT, 'libs'))]) {
      const path = relative(ROOT, file).split('\\').join('/');
      if (path.startsWith('libs/adversaries/')) continue;
      const found = mentions(readFileSync(file, 'utf8'));
      const allowed = path === SEAM ? found.filter((line) => line.includes(SEAM_IMPORT)) : [];
      offenders.push(...found.filter((line) => !allowed.includes(line)).map((line) => `${path}: ${line.trim()}`));
    }
    expect(offenders).toEqual([]);
    expect(mentions(readFileSync(join(ROOT, SEAM), 'utf8'))).toEqual([expect.stringContaining(SEAM_IMPORT)]);
  });

  it('the scan sees a static import when there is one (it is not vacuous)', () => {
    expect(mentions("import { MUTANTS } from '@imagery/adversaries';")).toHaveLength(1);
    expect(mentions("const x = require('../../adversaries/src/index.js');")).toHaveLength(1);
    expect(mentions("import { CreateImage } from '@imagery/domain';")).toHaveLength(0);
    expect(mentions('// a comment about libs/adversaries')).toHaveLength(0);
  });

  describe('the compiled apps, started as main.js starts them', () => {
    const dist = join(ROOT, 'dist');
    /** Starts the compiled API and worker in a child process; lists the adversaries files Node loaded. */
    const loadedBy = async (env: Record<string, string>): Promise<string[]> => {
      const probe = `
        const { join, sep } = require('node:path');
        const at = (p) => require(join(${JSON.stringify(dist)}, p));
        (async () => {
          const api = await at('apps/api/src/create-api-app.js').createApiApp(at('apps/api/src/config/api-config.js').loadApiConfig(), {}, false);
          const worker = await at('apps/worker/src/create-worker-app.js').createWorkerApp(at('apps/worker/src/config/worker-config.js').loadWorkerConfig(), {}, false);
          const lib = join(${JSON.stringify(dist)}, 'libs', 'adversaries') + sep;
          const loaded = Object.keys(require.cache).filter((f) => f.startsWith(lib));
          await Promise.all([api.close(), worker.close()]);
          process.stdout.write(JSON.stringify(loaded));
        })().catch((err) => { console.error(err); process.exit(1); });`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', probe], {
        env: {
          ...process.env,
          CHAOS_MODE: 'false',
          CHAOS_BUILD: 'real',
          NODE_ENV: 'test',
          WORKER_POLL: 'false',
          WORKER_HTTP_PORT: '0',
          PORT: '0',
          ...env,
        },
        timeout: 60_000,
      });
      return JSON.parse(stdout) as string[];
    };

    beforeAll(() => {
      if (!existsSync(join(dist, 'apps', 'api', 'src', 'create-api-app.js')))
        throw new Error('dist/ is missing: run npm run build first (npm test does)');
    });

    it('do not load libs/adversaries with chaos mode off', async () => {
      expect(await loadedBy({})).toEqual([]);
    });

    it('do not load it in chaos mode with the real build either', async () => {
      expect(await loadedBy({ CHAOS_MODE: 'true' })).toEqual([]);
    });

    it('load it only when chaos mode asks for an adversary (so the probe can see it)', async () => {
      const loaded = await loadedBy({ CHAOS_MODE: 'true', CHAOS_BUILD: 'seed' });
      expect(loaded.some((f) => f.endsWith(join('adversaries', 'src', 'index.js')))).toBe(true);
    });
  });
});
