import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';

/**
 * For tests: runs the built `deploy` / `destroy` command as `npm run deploy` would (after the build),
 * in an environment made only of `env` - no AWS_* variable, profile or instance role of the
 * machine running the tests can leak in, so a test can never reach a real AWS account.
 */
export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

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
): Promise<CommandResult> {
  const script = join(repoRoot(), 'dist', 'infra', 'deploy', `${command}.js`);
  if (!existsSync(script)) throw new Error(`${script} missing: run \`npm run build\` first (npm test does)`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env, cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: Date.now() - started });
    });
  });
}
