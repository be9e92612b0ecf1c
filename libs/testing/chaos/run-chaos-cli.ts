import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import { type NodeRun, runNode } from '../run-node';

/** The built `npm run chaos` (dist/chaos/runner/cli.js), for the end-to-end specs. */
export const CHAOS_CLI = join(repoRoot(), 'dist/chaos/runner/cli.js');

/** Short faults, low rate: each experiment about 20 s of load. */
export const SHORT_RUN = ['--rate', '5', '--warmup', '2', '--tail', '4', '--max-fault-seconds', '10', '--sepia-sample', '10'];

/**
 * Runs the CLI in a child process with `args`, then SHORT_RUN unless `short` is false; resolves with
 * its exit code and everything it printed. `env` replaces the whole environment (default: this one).
 */
export function runChaosCli(args: string[], { env, short = true }: { env?: NodeJS.ProcessEnv; short?: boolean } = {}): Promise<NodeRun> {
  return runNode(CHAOS_CLI, [...args, ...(short ? SHORT_RUN : [])], { env });
}
