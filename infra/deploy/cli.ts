import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DeployError, type AwsEnvironment } from './aws-environment';

export interface AwsClients {
  cfn: CloudFormationClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  destroy(): void;
}

/** Endpoints and credentials come the SDK's standard way (AWS_ENDPOINT_URL, the default chain). */
export function awsClients(aws: AwsEnvironment, env = process.env): AwsClients {
  const { region } = aws;
  const clients = {
    cfn: new CloudFormationClient({ region }),
    // moto and other emulators serve buckets under the path, not as virtual hosts
    s3: new S3Client({ region, forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true' }),
    dynamodb: new DynamoDBClient({ region }),
  };
  return { ...clients, destroy: () => Object.values(clients).forEach((client) => client.destroy()) };
}

/** Stack names become bucket name prefixes and get "-artifacts" appended: keep them short and plain. */
export function checkStackName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,49}$/.test(name)) {
    throw new DeployError(`stack name "${name}": a letter, then up to 49 letters, digits or hyphens`);
  }
  return name;
}

export const artifactsStackName = (stackName: string): string => `${stackName}-artifacts`;

export const log = (line: string): void => console.log(line);

/**
 * Runs a command's main: a DeployError (something the user can fix) or an AWS error prints as one
 * message, a bad option prints the usage, anything else its stack; all exit non-zero.
 */
export function runCli(name: string, usage: string, main: (argv: string[]) => Promise<void>): void {
  // The SDK warns on every client that its 2027 releases need Node 22; this project pins one that runs on 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof DeployError) console.error(`${name}: ${error.message}`);
      else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
        console.error(`${name}: ${(error as Error).message}\n\n${usage}`);
      // an AWS service's answer (e.g. AccessDenied, a stack busy with another operation) says enough
      else if ((error as { $metadata?: unknown }).$metadata)
        console.error(`${name}: AWS said ${(error as Error).name}: ${(error as Error).message}`);
      else console.error(`${name} failed:`, error);
      process.exit(1);
    },
  );
}
