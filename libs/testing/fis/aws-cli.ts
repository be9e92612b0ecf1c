import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from '@imagery/kernel/repo-root';

const run = promisify(execFile);

/** The AWS CLI installed by `scripts/tools.sh awscli` (into the tool cache, on first use). */
export function awsCliPath(): string {
  return execFileSync('bash', [join(repoRoot(), 'scripts', 'tools.sh'), 'path', 'awscli'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** One FIS operation of botocore's service model: what the AWS CLI (and boto3) send. */
export interface ModelOperation {
  readonly operation: string;
  readonly method: string;
  readonly path: string;
}

/** botocore's `fis` service model, shipped inside the AWS CLI's virtualenv. */
export function botocoreFisOperations(cli: string): ModelOperation[] {
  const python = join(dirname(cli), 'python3');
  const script = 'import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), "data", "fis"))';
  const dataDir = execFileSync(python, ['-c', script], { encoding: 'utf8' }).trim();
  const version = readdirSync(dataDir).sort().pop()!; // API versions, e.g. 2020-12-01
  const model = JSON.parse(gunzipSync(readFileSync(join(dataDir, version, 'service-2.json.gz'))).toString('utf8')) as {
    operations: Record<string, { http: { method: string; requestUri: string } }>;
  };
  return Object.entries(model.operations).map(([operation, op]) => ({ operation, method: op.http.method, path: op.http.requestUri }));
}

/**
 * Runs `aws fis <args> --endpoint-url <url> --output json` and parses its answer (the caller checks its shape). Asynchronous on
 * purpose: the simulator under test runs in this process and must keep answering.
 */
export async function awsFis(cli: string, endpoint: string, args: readonly string[]): Promise<unknown> {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  };
  try {
    const { stdout } = await run(cli, ['fis', ...args, '--endpoint-url', endpoint, '--output', 'json'], { env, timeout: 60_000 });
    return stdout.trim() ? (JSON.parse(stdout) as unknown) : {};
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error((e.stderr ?? e.message).trim(), { cause: error });
  }
}
