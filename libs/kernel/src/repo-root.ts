import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository root, found by walking up from this file. The same code runs from the sources
 * (ts-jest) and from dist/ (the build), so no fixed number of `..` would be right for both.
 * The marker is package.json *and* scripts/tools.sh, so a stray package.json under dist/ can't fool it.
 */
let cachedRoot: string | undefined;

export function repoRoot(from: string = __dirname): string {
  if (from === __dirname && cachedRoot) return cachedRoot; // asked on every fleet launch and tool lookup
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scripts', 'tools.sh'))) {
      if (from === __dirname) cachedRoot = dir;
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no repository root (package.json + scripts/tools.sh) above ${from}`);
  }
}

/** Absolute path of a tool's binary from scripts/tools.sh, which installs it into the user cache on first use. */
export function toolPath(tool: string): string {
  const root = repoRoot();
  return execFileSync('bash', [join(root, 'scripts', 'tools.sh'), 'path', tool], {
    cwd: root,
    encoding: 'utf8',
    // the installer's progress goes to our stderr: a first install takes minutes and should say so
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}
