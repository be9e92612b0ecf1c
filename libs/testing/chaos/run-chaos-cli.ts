import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';

/** The built `npm run chaos` (dist/chaos/runner/cli.js), for the end-to-end specs. */
export const CHAOS_CLI = join(repoRoot(), 'dist/chaos/runner/cli.js');

/** Short faults, low rate: each experiment well under a minute and a half. */
export const SHORT_RUN = ['--rate', '5', '--warmup', '3', '--tail', '5', '--max-fault-seconds', '15', '--sepia-sample', '10'];

/**
 * Runs the CLI in a child process with `args`, then SHORT_RUN unless `short` is false; resolves with
 * its exit code and everything it printed. `env` replaces the whole environment (default: this one).
 */
export function runChaosCli(
  args: string[],
  { env = { ...process.env }, short = true }: { env?: NodeJS.ProcessEnv; short?: boolean } = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHAOS_CLI, ...args, ...(short ? SHORT_RUN : [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}
