import { CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { randomInt } from 'node:crypto';
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

/** Where the emulator serves each service the apps use: one process each (emulator.ts), or one moto for all. */
export interface EmulatorEndpoints {
  readonly dynamodb: string;
  readonly s3: string;
  readonly sqs: string;
}

/** One moto serving every service. */
export const oneEndpoint = (endpoint: string): EmulatorEndpoints => ({ dynamodb: endpoint, s3: endpoint, sqs: endpoint });

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
 * infra/data.yaml deployed to every process of the emulator (each serves its own service but holds
 * the whole stack, as deployed through its own CloudFormation API). moto names resources with a
 * random suffix: each process's random is seeded alike right before its deploy, so all give the same
 * names, and a difference is an error. Queue URLs are re-rooted at the SQS process.
 */
export async function deployDataStackToEmulator(
  endpoints: EmulatorEndpoints,
  options: Omit<DeployDataStackOptions, 'endpoint'>,
): Promise<LocalResources> {
  const distinct = [...new Set([endpoints.sqs, endpoints.dynamodb, endpoints.s3])];
  const seed = randomInt(1, 2 ** 31);
  // At once: each process seeds and deploys on its own (about a second of moto's CloudFormation each).
  const deployed = await Promise.all(
    distinct.map(async (endpoint) => {
      if (distinct.length > 1) await seedRandom(endpoint, seed);
      return deployDataStack({ ...options, endpoint });
    }),
  );
  const names = (r: LocalResources) => JSON.stringify([r.bucketName, r.tableName, r.stateIndexName, new URL(r.queueUrl).pathname]);
  const differing = deployed.find((r) => names(r) !== names(deployed[0]));
  if (differing)
    throw new Error(
      `stack ${options.stackName} got different names on the emulator's processes: ${names(deployed[0])} vs ${names(differing)}`,
    );
  return {
    ...deployed[0],
    queueUrl: queueUrlAt(endpoints.sqs, deployed[0].queueUrl),
    deadLetterQueueUrl: queueUrlAt(endpoints.sqs, deployed[0].deadLetterQueueUrl),
  };
}

/** moto's test API: seeds the random its generated names come from. */
async function seedRandom(endpoint: string, seed: number): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/seed?a=${seed}`, { method: 'POST' });
  if (!response.ok) throw new Error(`seeding moto at ${endpoint} failed: HTTP ${response.status}`);
}

/**
 * The configuration the apps read (SDK-standard variables + the platform's own), for resources
 * served at `endpoint` (moto itself, the emulator's per-service processes, or proxies in front of them).
 */
export function resourcesToEnv(endpoint: string | EmulatorEndpoints, resources: LocalResources): Record<string, string> {
  const endpoints = typeof endpoint === 'string' ? oneEndpoint(endpoint) : endpoint;
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    // moto serves buckets under the path, not as <bucket>.<host> virtual hosts
    S3_FORCE_PATH_STYLE: 'true',
    IMAGES_TABLE: resources.tableName,
    IMAGES_TABLE_STATE_INDEX: resources.stateIndexName,
    IMAGES_BUCKET: resources.bucketName,
    IMAGES_QUEUE_URL: queueUrlAt(endpoints.sqs, resources.queueUrl),
    IMAGES_DLQ_URL: queueUrlAt(endpoints.sqs, resources.deadLetterQueueUrl),
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
