import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import { type NodeRun, runNode } from '../run-node';

/**
 * For tests: runs the built `deploy` / `destroy` command as `npm run deploy` would (after the build),
 * in an environment made only of `env` - no AWS_* variable, profile or instance role of the
 * machine running the tests can leak in, so a test can never reach a real AWS account.
 */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: join(tmpdir(), `imagery-no-home-${process.pid}`), // never created: no ~/.aws
    AWS_EC2_METADATA_DISABLED: 'true', // no instance role, even on an EC2 CI runner
    ...extra,
  };
}

export function runCommand(
  command: 'deploy' | 'destroy',
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<NodeRun> {
  const script = join(repoRoot(), 'dist', 'infra', 'deploy', `${command}.js`);
  if (!existsSync(script)) throw new Error(`${script} missing: run \`npm run build\` first (npm test does)`);
  return runNode(script, args, { env, cwd: repoRoot(), timeoutMs });
}
