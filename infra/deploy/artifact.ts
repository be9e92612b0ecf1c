import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { create } from 'tar';
import { DeployError } from '@imagery/cfn-deploy/deploy-error';

/**
 * The libraries the apps are built from (the dependency rules keep apps to these). The others serve
 * the tools and never ship: the checker, the history, the deploy, the control plane, test support,
 * and the adversaries (chaos mode loads them as a plugin from a repository's build, never a release).
 */
export const SHIPPED_LIBS = ['domain', 'aws-adapters', 'image-filter', 'nest-platform', 'kernel'];

/**
 * The release the instances run: the build of the two apps, their production node_modules as
 * installed here (the versions the tests ran, no registry needed at boot: the instances have no
 * internet access), package.json + lockfile, and the instance scripts (systemd units, start,
 * scale-in watcher). Unpacked into /opt/imagery by the launch templates' user data.
 */
export const ARTIFACT_ROOTS = [
  'dist/apps',
  ...SHIPPED_LIBS.map((lib) => `dist/libs/${lib}`),
  'package.json',
  'package-lock.json',
  'infra/deploy/instance',
];

/**
 * What never ships although it lies under ARTIFACT_ROOTS: compiled tests (the build leaves them out
 * already: this keeps a stale dist/ from shipping them).
 */
export const NEVER_SHIPPED = [/^dist\/.*\.(spec|e2e-spec)\.js(\.map)?$/];

/** Files an instance cannot run without: checked before packaging, so a missing build fails here. */
export const REQUIRED_FILES = [
  'dist/apps/api/src/main.js',
  'dist/apps/worker/src/main.js',
  'infra/deploy/instance/start.sh',
  'infra/deploy/instance/imagery@.service',
];

/** The instances are x86_64 Amazon Linux (glibc): sharp must carry those binaries. */
export const PLATFORM_PACKAGES = ['node_modules/@img/sharp-linux-x64', 'node_modules/@img/sharp-libvips-linux-x64'];

// A fixed mtime makes the archive, and so its content-addressed key, depend on the contents only:
// an unchanged build re-deploys as "no changes" instead of rolling every instance.
const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');

export interface Artifact {
  file: string;
  sha256: string;
  /** Where it goes in the artifact bucket: content-addressed, so old releases stay launchable. */
  key: string;
  files: number;
}

/** Writes the release tarball to `outFile`. `root` is the repository (built: npm run build). */
export async function packageArtifact(root: string, outFile: string): Promise<Artifact> {
  const missing = REQUIRED_FILES.filter((file) => !existsSync(join(root, file)));
  if (missing.length) throw new DeployError(`not built, missing ${missing.join(', ')}: run npm run build`);
  const files = artifactFiles(root);
  // sync: the same bytes in a sixth of the CPU (3.5 s instead of 21 s for 18,000 files here: the
  // async writer pays a stream and a few promises per file); nothing else runs while a release is packed.
  create({ file: outFile, cwd: root, gzip: true, portable: true, mtime: FIXED_MTIME, sync: true }, files);
  const sha256 = await fileSha256(outFile);
  return { file: outFile, sha256, key: `releases/imagery-${sha256.slice(0, 16)}.tar.gz`, files: files.length };
}

/** Every path (relative to `root`, sorted) that goes into the artifact. */
export function artifactFiles(root: string): string[] {
  const packages = productionPackages(root);
  const absent = PLATFORM_PACKAGES.filter((dir) => !packages.includes(dir));
  if (absent.length) {
    throw new DeployError(
      `${absent.join(', ')} not installed: the instances run linux x64 (glibc), package on such a machine (e.g. CI) or pass --artifact`,
    );
  }
  const files = [...ARTIFACT_ROOTS, ...packages]
    .flatMap((path) => filesUnder(root, path))
    .filter((file) => !NEVER_SHIPPED.some((pattern) => pattern.test(file)));
  return [...new Set(files)].sort();
}

/**
 * The installed production dependency closure, as npm itself resolves it (`npm ls --omit=dev`):
 * package directories relative to `root`, nested ones included.
 */
export function productionPackages(root: string): string[] {
  const npm = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' });
  if (npm.error) throw npm.error;
  if (npm.status !== 0) {
    throw new DeployError(`npm ls --omit=dev failed (run npm ci first):\n${npm.stderr.trim().split('\n').slice(-5).join('\n')}`);
  }
  return npm.stdout
    .split('\n')
    .filter((line) => line.trim() && line.trim() !== root)
    .map((line) => relative(root, line.trim()).split(sep).join('/'));
}

/**
 * Files under `path`, without its nested node_modules: those hold a package's own dependencies,
 * which npm ls lists separately when they are production ones (dev-only ones must stay out).
 */
function filesUnder(root: string, path: string): string[] {
  const absolute = join(root, path);
  if (!statSync(absolute).isDirectory()) return [path];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter(
      (file) =>
        !file
          .slice(path.length + 1)
          .split('/')
          .includes('node_modules'),
    )
    .filter((file) => !TYPE_DECLARATION.test(file));
}

// Type declarations are compile-time only, and 40 % of the dependencies' files.
const TYPE_DECLARATION = /\.d\.[cm]?ts(\.map)?$/;

function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}
