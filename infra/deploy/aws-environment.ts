import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DeployError } from '@imagery/cfn-deploy/deploy-error';

export interface AwsEnvironment {
  region: string;
  /** Who we are, for the progress lines: the access key id's last characters. */
  identity: string;
  /** Set when AWS_ENDPOINT_URL points the SDK elsewhere (the emulator in tests). */
  endpoint?: string;
}

type Env = Record<string, string | undefined>;

/** Where a command works, for its first line: the region, and the endpoint when not AWS's own. */
export const where = (aws: AwsEnvironment): string => (aws.endpoint ? `${aws.region} at ${aws.endpoint}` : aws.region);

/**
 * Region and credentials, checked before any AWS call, so a missing setup fails in seconds with a
 * message instead of after packaging, or as an SDK error halfway through.
 * Region: AWS_REGION, AWS_DEFAULT_REGION, else the profile's (~/.aws/config), as the CLI does.
 * Credentials: the SDK's default chain (env, SSO/profile, process, web identity, ECS, EC2 instance
 * metadata). The chain's last step asks the EC2 metadata service, which off EC2 may not answer
 * at all: the whole resolution is bounded by `timeoutMs`.
 */
export async function resolveAwsEnvironment(env: Env = process.env, timeoutMs = 8_000): Promise<AwsEnvironment> {
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  const probe = new CloudFormationClient(fromEnv ? { region: fromEnv } : {});
  try {
    const region = fromEnv ?? (await withTimeout(probe.config.region(), timeoutMs).catch(() => undefined));
    if (!region) {
      throw new DeployError('no AWS region: set AWS_REGION (e.g. AWS_REGION=us-east-1), or a region in your AWS profile (aws configure)');
    }
    let accessKeyId: string;
    try {
      ({ accessKeyId } = await withTimeout(probe.config.credentials(), timeoutMs));
    } catch (error) {
      throw new DeployError(
        [
          `no AWS credentials (${firstLine(error)}). Provide them the standard way:`,
          '  AWS_PROFILE=<profile> after `aws configure` or `aws sso login`, or',
          '  AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), or an instance/container role.',
        ].join('\n'),
      );
    }
    return { region, identity: `key ****${accessKeyId.slice(-4)}`, endpoint: env.AWS_ENDPOINT_URL || undefined };
  } finally {
    probe.destroy();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`nothing found within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const firstLine = (error: unknown): string => String((error as Error)?.message ?? error).split('\n')[0];
