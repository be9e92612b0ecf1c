import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { defaultAdversariesPlugin } from '@imagery/nest-platform';

const ROOT = join(__dirname, '..', '..', '..');
/** The one place allowed to say where the plugin lies: a path computed at run time, loaded in chaos mode only. */
const SEAM = 'libs/nest-platform/src/chaos/adversary-plugin.ts';
const SEAM_PATH = "join(__dirname, '..', '..', '..', 'adversaries', 'src')";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Every line naming the adversaries module in a string: a module specifier by alias or by path, or
 * `adversaries` as a path segment (a path built with join).
 */
const mentions = (text: string): string[] =>
  text.match(/[^\n]*(['"`][^'"`\n]*(@imagery\/adversaries|adversaries\/src)[^'"`\n]*['"`]|['"`]adversaries['"`])[^\n]*/g) ?? [];

/** Production code: apps/ and libs/ but the adversaries themselves, test support and specs. */
const productionFiles = (): string[] =>
  [...sourceFiles(join(ROOT, 'apps')), ...sourceFiles(join(ROOT, 'libs'))]
    .map((file) => relative(ROOT, file).split('\\').join('/'))
    .filter((path) => !/^libs\/(adversaries|testing)\//.test(path) && !/\.(spec|e2e-spec)\.ts$/.test(path));

describe('the adversaries never reach the production code path', () => {
  it('no production file names libs/adversaries, except the seam, and the seam only as the path of a plugin', () => {
    const offenders: string[] = [];
    for (const path of productionFiles()) {
      const found = mentions(readFileSync(join(ROOT, path), 'utf8'));
      const allowed = path === SEAM ? found.filter((line) => line.includes(SEAM_PATH)) : [];
      offenders.push(...found.filter((line) => !allowed.includes(line)).map((line) => `${path}: ${line.trim()}`));
    }
    expect(offenders).toEqual([]);
    expect(mentions(readFileSync(join(ROOT, SEAM), 'utf8'))).toEqual([expect.stringContaining(SEAM_PATH)]);
  });

  it('the path the seam computes is libs/adversaries/src (so the compiled probe below looks in the right place)', () => {
    expect(defaultAdversariesPlugin).toBe(join(ROOT, 'libs', 'adversaries', 'src'));
  });

  it('the scan sees a static import or a path when there is one (it is not vacuous)', () => {
    expect(mentions("import { MUTANTS } from '@imagery/adversaries';")).toHaveLength(1);
    expect(mentions("const x = require('../../adversaries/src/index.js');")).toHaveLength(1);
    expect(mentions("const x = await import(join(__dirname, '..', 'adversaries', 'src'));")).toHaveLength(1);
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
          const apiConfig = at('apps/api/src/config/api-config.js').loadApiConfig();
          const api = await at('apps/api/src/create-api-app.js').createApiApp(apiConfig, {}, false);
          const workerConfig = at('apps/worker/src/config/worker-config.js').loadWorkerConfig();
          const worker = await at('apps/worker/src/create-worker-app.js').createWorkerApp(workerConfig, {}, false);
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
