// After `tsc` into dist/: deletes what no longer has a source to build from (a moved or deleted
// file's old output) and what the build never compiles (specs, libs/testing), so a stale dist/
// neither runs old code nor ships it. Done in place, not by emptying dist/ first: a running
// `npm start` keeps reading dist/ while `npm run chaos` rebuilds it.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.cwd();
const dist = join(root, 'dist');
const NEVER_BUILT = /(\.spec|\.e2e-spec)\.js(\.map)?$|^libs\/testing\//;

function prune(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      prune(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
      continue;
    }
    const built = relative(dist, path);
    if (built.startsWith('apps/api/public/')) continue; // copied, not compiled
    const source = built.replace(/\.js(\.map)?$/, '.ts');
    if (NEVER_BUILT.test(built) || !existsSync(join(root, source))) rmSync(path);
  }
}

if (existsSync(dist)) prune(dist);
