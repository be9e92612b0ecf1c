import { CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureStack } from '@imagery/cfn-deploy/stack';
import { repoRoot } from '@imagery/kernel/repo-root';

/** What the apps need to find the data resources of one deployed infra/data.yaml stack. */
export interface LocalResources {
  bucketName: string;
  tableName: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  stateIndexName: string;
}

/** infra/data.yaml's parameters; absent ones take the template's defaults. */
export type DataStackParameters = Partial<Record<'UploadExpirationDays' | 'QueueVisibilityTimeout' | 'MaxReceiveCount', number>>;

export interface DeployDataStackOptions {
  endpoint: string;
  stackName: string;
  parameters?: DataStackParameters;
  timeoutMs?: number;
}

/** The emulator accepts any credentials; passing them explicitly keeps ~/.aws and the env out of it. */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export const dataTemplatePath = (): string => join(repoRoot(), 'infra', 'data.yaml');

/**
 * Deploys infra/data.yaml as `stackName` and returns its resources. An existing stack of that name
 * is reused as is (e.g. `npm start` re-run against a moto still running), after checking that it
 * was deployed with the parameters asked for now.
 */
export async function deployDataStack(options: DeployDataStackOptions): Promise<LocalResources> {
  const { endpoint, stackName, parameters = {} } = options;
  const cfn = new CloudFormationClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const stack = await ensureStack(
      cfn,
      { stackName, templateBody: readFileSync(dataTemplatePath(), 'utf8'), parameters: toStackParameters(parameters) },
      // moto completes stacks at once; real CloudFormation takes minutes. Silent: npm start prints its own progress.
      { log: () => undefined, pollMs: 100, timeoutMs: options.timeoutMs ?? 600_000 },
    );
    assertParameters(stack, parameters);
    return toResources(stack, endpoint);
  } finally {
    cfn.destroy();
  }
}

/**
 * The configuration the apps read (SDK-standard variables + the platform's own), for resources
 * served at `endpoint` (moto itself, or a proxy in front of it).
 */
export function resourcesToEnv(endpoint: string, resources: LocalResources): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ENDPOINT_URL_SQS: endpoint,
    // moto serves buckets under the path, not as <bucket>.<host> virtual hosts
    S3_FORCE_PATH_STYLE: 'true',
    IMAGES_TABLE: resources.tableName,
    IMAGES_TABLE_STATE_INDEX: resources.stateIndexName,
    IMAGES_BUCKET: resources.bucketName,
    IMAGES_QUEUE_URL: queueUrlAt(endpoint, resources.queueUrl),
    IMAGES_DLQ_URL: queueUrlAt(endpoint, resources.deadLetterQueueUrl),
    // The SDK warns on every start that its 2027 releases will need Node 22; this project pins an SDK that runs on 20.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * The queue URL re-rooted at `endpoint`. moto's CloudFormation returns real-AWS URLs
 * (https://sqs.us-east-1.amazonaws.com/<account>/<name>), and the SQS client, when its endpoint comes
 * from AWS_ENDPOINT_URL_SQS rather than its `endpoint` option, sends requests to the QueueUrl's host:
 * local runs would then call the real AWS. moto finds a queue by the URL's path, so only the origin changes.
 */
export function queueUrlAt(endpoint: string, queueUrl: string): string {
  return endpoint.replace(/\/+$/, '') + new URL(queueUrl).pathname;
}

const toStackParameters = (parameters: DataStackParameters) =>
  Object.entries(parameters).map(([key, value]) => ({ ParameterKey: key, ParameterValue: String(value) }));

/** A reused stack must have been deployed with what is asked now, or tests would run on the wrong setup. */
function assertParameters(stack: Stack, wanted: DataStackParameters): void {
  const actual = new Map((stack.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
  for (const [key, value] of Object.entries(wanted)) {
    if (actual.get(key) !== String(value)) {
      throw new Error(`stack ${stack.StackName} exists with ${key}=${actual.get(key)}, not ${value}: delete it or use another stack name`);
    }
  }
}

function toResources(stack: Stack, endpoint: string): LocalResources {
  const outputs = new Map((stack.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const output = (key: string): string => {
    const value = outputs.get(key);
    if (!value) throw new Error(`stack ${stack.StackName} has no output ${key}`);
    return value;
  };
  return {
    bucketName: output('BucketName'),
    tableName: output('TableName'),
    queueUrl: queueUrlAt(endpoint, output('QueueUrl')),
    deadLetterQueueUrl: queueUrlAt(endpoint, output('DeadLetterQueueUrl')),
    stateIndexName: output('TableStateIndexName'),
  };
}
