import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { list } from 'tar';
import { repoRoot } from '@imagery/kernel/repo-root';
import { waitForHttp } from '@imagery/kernel/wait-for-http';
import { deployFreshStack } from '@imagery/testing/platform/local-aws';
import { type NodeChild, startNodeServer } from '@imagery/testing/run-node';
import { type Artifact, packageArtifact, REQUIRED_FILES } from './artifact';

const COMPILED_TEST = /\.(spec|e2e-spec)\.js(\.map)?$/;

/** package-lock.json's packages that only dev dependencies need, as node_modules paths. */
function devOnlyPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(repoRoot(), 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path && entry.dev === true)
    .map(([path]) => path);
}

/** a/b/c -> [a, a/b] */
const ancestors = (path: string): string[] =>
  path
    .split('/')
    .slice(0, -1)
    .map((_, i, parts) => parts.slice(0, i + 1).join('/'));

/** Every file under `dir`, relative to it. */
const filesIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));

describe('the build (dist/, what the artifact is packaged from)', () => {
  it('holds no test support and no compiled tests', () => {
    const dist = join(repoRoot(), 'dist');
    expect(existsSync(join(dist, 'libs', 'testing'))).toBe(false);
    expect(filesIn(dist).filter((file) => COMPILED_TEST.test(file))).toEqual([]);
  });
});

/**
 * The release tarball holds what an instance needs, and nothing it does not: unpacked on its own,
 * outside the repository (no other node_modules to fall back on), the API and the worker start
 * and report healthy against the emulator, as they would on an instance with the user data's env.
 */
const dir = mkdtempSync(join(tmpdir(), 'imagery-artifact-spec-'));
const unpacked = join(dir, 'opt-imagery');
let artifact: Artifact;
const entries = new Map<string, number>(); // path -> mode

beforeAll(async () => {
  artifact = await packageArtifact(repoRoot(), join(dir, 'imagery.tar.gz'));
  await list({ file: artifact.file, onReadEntry: (entry) => void entries.set(entry.path, entry.mode ?? 0) });
  spawnSync('mkdir', ['-p', unpacked]);
  // Unpacked as the instance's user data does it (infra/template.yaml: tar -xzf), by GNU tar: a
  // fraction of node-tar's time for its 18,000 files.
  const untar = spawnSync('tar', ['-xzf', artifact.file, '-C', unpacked], { encoding: 'utf8' });
  if (untar.status !== 0) throw new Error(`tar -xzf failed: ${untar.stderr}`);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the release artifact', () => {
  it('has the apps, the manifests, the instance scripts and the production dependencies', () => {
    for (const file of [
      ...REQUIRED_FILES,
      'dist/apps/api/public/index.html',
      'package.json',
      'package-lock.json',
      'infra/deploy/instance/lifecycle-watch.sh',
      'infra/deploy/instance/imagery-lifecycle@.service',
      'node_modules/@nestjs/core/package.json',
      'node_modules/sharp/package.json',
      'node_modules/@img/sharp-linux-x64/package.json',
      'node_modules/@aws-sdk/client-sqs/package.json',
    ]) {
      expect(entries.has(file) ? file : `missing: ${file}`).toBe(file);
    }
    expect(artifact.key).toBe(`releases/imagery-${artifact.sha256.slice(0, 16)}.tar.gz`);
    expect(artifact.files).toBe(entries.size);
  });

  it('leaves out dev dependencies, tests, sources and type declarations', () => {
    const paths = [...entries.keys()];
    for (const devOnly of ['typescript', 'jest', 'ts-jest', 'tar', '@nestjs/cli', 'playwright-core', '.bin']) {
      expect(paths.filter((p) => p.startsWith(`node_modules/${devOnly}/`))).toEqual([]);
    }
    expect(paths.filter((p) => /\.d\.ts$/.test(p) || (/\.ts$/.test(p) && !p.startsWith('node_modules/')))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('dist/') && /spec\.js$/.test(p))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('dist/') && !/^dist\/(apps|libs)\//.test(p))).toEqual([]);
  });

  it('holds no adversaries, no tool library and no test support', () => {
    const paths = [...entries.keys()];
    expect(paths.filter((p) => p.startsWith('dist/libs/adversaries/'))).toEqual([]);
    const toolLibs = ['checker', 'history', 'cfn-deploy', 'control-plane'];
    expect(paths.filter((p) => toolLibs.some((lib) => p.startsWith(`dist/libs/${lib}/`)))).toEqual([]);
    expect(paths.some((p) => p.startsWith('dist/libs/kernel/'))).toBe(true);
    expect(paths.filter((p) => p.startsWith('dist/libs/testing/') || p.startsWith('libs/'))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('dist/') && COMPILED_TEST.test(p))).toEqual([]);
  });

  it('holds no package that only dev dependencies need (the lockfile marks them dev)', () => {
    const devOnly = devOnlyPackages();
    // not vacuous: the direct dev dependencies are among them
    expect(devOnly).toEqual(expect.arrayContaining(['node_modules/typescript', 'node_modules/jest', 'node_modules/fast-check']));
    const devOnlyDirs = new Set(devOnly);
    const shipped = [...entries.keys()].filter((p) => ancestors(p).some((dir) => devOnlyDirs.has(dir)));
    expect(shipped).toEqual([]);
  });
});

describe('the release artifact, unpacked alone', () => {
  const children: NodeChild[] = [];
  afterAll(() => children.forEach((child) => child.kill('SIGKILL')));

  /** Starts dist/apps/<role> from the unpacked release, as the systemd unit does, on a port of its own. */
  const start = async (role: string, env: (port: number) => Record<string, string>) => {
    const server = await startNodeServer(
      role,
      `dist/apps/${role}/src/main.js`,
      (port) => ({ PATH: process.env.PATH ?? '', HOME: dir, ...env(port) }),
      { cwd: unpacked },
    );
    children.push(server.child);
    return server;
  };

  it('runs the API and the worker, healthy against the emulator', async () => {
    const stack = await deployFreshStack('imagery-artifact');
    const [api, worker] = await Promise.all([
      start('api', (port) => ({ ...stack.env, HOST: '127.0.0.1', PORT: String(port) })),
      start('worker', (port) => ({ ...stack.env, HOST: '127.0.0.1', WORKER_HTTP_PORT: String(port), RECEIVE_WAIT_SECONDS: '1' })),
    ]);
    try {
      await waitForHttp(`${api.url}/health`, 30_000);
      await waitForHttp(`${worker.url}/health`, 30_000);
    } catch (error) {
      const output = children.map((child) => child.output()).join('\n');
      throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
    }
  }, 60_000);

  it('both stop on SIGTERM (what systemd sends) without needing SIGKILL', async () => {
    const exits = children.map((child) => child.exited.then(({ code, signal }) => `${code ?? signal}`));
    children.forEach((child) => child.kill('SIGTERM'));
    // Nest re-raises the signal after its shutdown hooks; systemd counts death by SIGTERM as a clean stop
    const ends = await Promise.all(exits);
    // what they printed is the only clue to an unclean stop (Nest logs the hook that threw, then exits 1)
    if (!ends.every((exit) => ['0', 'SIGTERM'].includes(exit))) {
      throw new Error(`exits ${ends.join(', ')} (api, worker):\n${children.map((child) => child.output().slice(-6_000)).join('\n---\n')}`);
    }
    for (const exit of ends) expect(['0', 'SIGTERM']).toContain(exit);
  }, 30_000);
});

describe("the release artifact's instance scripts and units", () => {
  it('keeps the instance scripts executable', () => {
    for (const script of ['start.sh', 'lifecycle-watch.sh']) {
      expect(entries.get(`infra/deploy/instance/${script}`)! & 0o111).toBe(0o111);
      expect(spawnSync('bash', ['-n', join(unpacked, 'infra/deploy/instance', script)]).status).toBe(0);
    }
  });

  const systemd = spawnSync('systemd-analyze', ['--version']).status === 0;
  (systemd ? it : it.skip)('has systemd units that systemd-analyze verifies', () => {
    // verify checks that ExecStart exists: point the units at this machine's node and the unpacked release
    const units = mkdtempSync(join(dir, 'units-'));
    for (const [template, unit] of [
      ['imagery@.service', 'imagery@api.service'],
      ['imagery-lifecycle@.service', 'imagery-lifecycle@api.service'],
    ]) {
      copyFileSync(join(unpacked, 'infra/deploy/instance', template), join(units, unit));
      const text = readFileSync(join(units, unit), 'utf8')
        .replaceAll('/usr/bin/node-22', process.execPath)
        .replaceAll('/opt/imagery', unpacked);
      writeFileSync(join(units, unit), text);
    }
    const result = spawnSync('systemd-analyze', ['verify', 'imagery@api.service', 'imagery-lifecycle@api.service'], {
      cwd: units,
      encoding: 'utf8',
    });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  it('stops gracefully: SIGTERM, then SIGKILL only for what is left after a timeout longer than the drain', () => {
    const unit = readFileSync(join(unpacked, 'infra/deploy/instance/imagery@.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node-22 dist\/apps\/%i\/src\/main\.js$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    expect(unit).toMatch(/^KillMode=mixed$/m);
    expect(unit).toMatch(/^Restart=always$/m);
    const timeout = Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)![1]);
    expect(timeout).toBeGreaterThan(20 + 30); // the API's DRAIN_DELAY_MS (20 s) + closing connections
  });
});
