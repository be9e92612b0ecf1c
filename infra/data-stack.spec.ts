import { DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import { parseCfnTemplate } from '@imagery/cfn-deploy/cfn-yaml';
import { at, list, record, text } from '@imagery/testing/infra/template-values';
import {
  dataTemplatePath,
  deployDataStack,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type DataStackParameters,
  type LocalResources,
} from '../platform/local/emulator/data-stack';
import { deployFreshStack, emulatorEndpoint, GLOBAL_STACK_NAME, testResources } from '@imagery/testing/platform/local-aws';

/**
 * The stack deployed on moto holds what infra/data.yaml says. Expected values come from the parsed
 * template, so a change to the template is checked without editing this file.
 */
const template = parseCfnTemplate(readFileSync(dataTemplatePath(), 'utf8'));
const properties = (logicalId: string): Record<string, unknown> => template.Resources[logicalId].Properties ?? {};
const table = properties('ImagesTable');
const queue = properties('ImagesQueue');
const deadLetterQueue = properties('ImagesDeadLetterQueue');
const bucket = properties('ImagesBucket');

/** A template value with { Ref: Parameter } resolved the way CloudFormation does: given, else default. */
function resolve(value: unknown, given: DataStackParameters = {}): unknown {
  if (value && typeof value === 'object' && 'Ref' in value) {
    const name = (value as { Ref: string }).Ref;
    return given[name as keyof DataStackParameters] ?? template.Parameters?.[name]?.Default;
  }
  return value;
}

const clientConfig = () => ({ endpoint: emulatorEndpoint(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
let dynamodb: DynamoDBClient;
let sqs: SQSClient;
let s3: S3Client;
beforeAll(() => {
  dynamodb = new DynamoDBClient(clientConfig());
  sqs = new SQSClient(clientConfig());
  s3 = new S3Client({ ...clientConfig(), forcePathStyle: true });
});
afterAll(() => [dynamodb, sqs, s3].forEach((client) => client.destroy()));

const byName = <T extends { AttributeName?: string }>(items: T[] = []) =>
  [...items].sort((a, b) => (a.AttributeName ?? '').localeCompare(b.AttributeName ?? ''));

async function describeTable(name: string): Promise<TableDescription> {
  return (await dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table!;
}

async function queueAttributes(url: string): Promise<Record<string, string>> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
}

/** The queue pair matches the template for the given parameters. */
async function expectQueues(resources: LocalResources, given: DataStackParameters = {}): Promise<void> {
  const main = await queueAttributes(resources.queueUrl);
  const dlq = await queueAttributes(resources.deadLetterQueueUrl);
  expect(main).toMatchObject({
    VisibilityTimeout: String(resolve(queue.VisibilityTimeout, given)),
    ReceiveMessageWaitTimeSeconds: String(queue.ReceiveMessageWaitTimeSeconds),
    MessageRetentionPeriod: String(queue.MessageRetentionPeriod),
    SqsManagedSseEnabled: String(queue.SqsManagedSseEnabled),
  });
  expect(JSON.parse(main.RedrivePolicy)).toEqual({
    deadLetterTargetArn: dlq.QueueArn,
    maxReceiveCount: Number(resolve(at(queue, 'RedrivePolicy', 'maxReceiveCount'), given)),
  });
  expect(dlq).toMatchObject({
    MessageRetentionPeriod: String(deadLetterQueue.MessageRetentionPeriod),
    SqsManagedSseEnabled: String(deadLetterQueue.SqsManagedSseEnabled),
  });
}

describe('the global data stack on moto', () => {
  const resources = (): LocalResources => testResources();

  it('has the table: key schema, attributes, billing mode, the state/updatedAt GSI', async () => {
    const actual = await describeTable(resources().tableName);
    expect(actual.KeySchema).toEqual(table.KeySchema);
    expect(byName(actual.AttributeDefinitions)).toEqual(byName(list(table, 'AttributeDefinitions').map((d) => record(d))));
    expect(actual.BillingModeSummary?.BillingMode).toBe(table.BillingMode);

    const [expected] = list(table, 'GlobalSecondaryIndexes');
    expect(resources().stateIndexName).toBe(text(expected, 'IndexName'));
    const index = actual.GlobalSecondaryIndexes?.find((i) => i.IndexName === text(expected, 'IndexName'));
    expect(index?.KeySchema).toEqual(at(expected, 'KeySchema'));
    expect(index?.Projection?.ProjectionType).toBe(at(expected, 'Projection', 'ProjectionType'));
    expect(actual.GlobalSecondaryIndexes).toHaveLength(list(table, 'GlobalSecondaryIndexes').length);
  });

  it('has the queue with its redrive policy to the dead-letter queue', async () => {
    await expectQueues(resources());
  });

  it('has the bucket, encrypted as the template says', async () => {
    const { bucketName } = resources();
    await s3.send(new HeadBucketCommand({ Bucket: bucketName }));
    const { ServerSideEncryptionConfiguration } = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucketName }));
    expect(ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe(
      at(bucket, 'BucketEncryption', 'ServerSideEncryptionConfiguration', 0, 'ServerSideEncryptionByDefault', 'SSEAlgorithm'),
    );
  });

  it("has no access logging locally: the log bucket is the root stack's, and a data-only stack passes none", async () => {
    expect(template.Parameters!.AccessLogBucketName.Default).toBe('');
    const { LoggingEnabled } = await s3.send(new GetBucketLoggingCommand({ Bucket: resources().bucketName }));
    expect(LoggingEnabled).toBeUndefined();
  });

  it('gives queue URLs on the local endpoint, which SDK clients configured by env alone can use', async () => {
    // The apps configure their clients from the env only (AWS_ENDPOINT_URL_SQS...). With a real-AWS
    // QueueUrl such a client would send to sqs.us-east-1.amazonaws.com: the URLs must be local.
    const { queueUrl, deadLetterQueueUrl, tableName, bucketName } = resources();
    for (const url of [queueUrl, deadLetterQueueUrl]) expect(url.startsWith(`${emulatorEndpoint()}/`)).toBe(true);
    expect(process.env.IMAGES_QUEUE_URL).toBe(queueUrl);

    const fromEnv = { sqs: new SQSClient({}), dynamodb: new DynamoDBClient({}), s3: new S3Client({ forcePathStyle: true }) };
    try {
      await fromEnv.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
      await fromEnv.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
      await fromEnv.s3.send(new HeadBucketCommand({ Bucket: bucketName }));
    } finally {
      Object.values(fromEnv).forEach((client) => client.destroy());
    }
  });
});

describe('deploying data stacks', () => {
  it('applies parameters, and several stacks coexist on one server', async () => {
    const given: DataStackParameters = { QueueVisibilityTimeout: 45, MaxReceiveCount: 3, UploadExpirationDays: 7 };
    const fresh = await deployFreshStack('imagery-spec-params', given);
    await expectQueues(fresh.resources, given);

    const shared = testResources();
    expect(fresh.resources.tableName).not.toBe(shared.tableName);
    expect(fresh.resources.bucketName).not.toBe(shared.bucketName);
    expect(fresh.resources.queueUrl).not.toBe(shared.queueUrl);
    expect(fresh.env.IMAGES_TABLE).toBe(fresh.resources.tableName);
  });

  it('reuses an existing stack of the same name, but not with other parameters', async () => {
    const endpoint = emulatorEndpoint();
    await expect(deployDataStack({ endpoint, stackName: GLOBAL_STACK_NAME })).resolves.toEqual(testResources());
    await expect(deployDataStack({ endpoint, stackName: GLOBAL_STACK_NAME, parameters: { MaxReceiveCount: 99 } })).rejects.toThrow(
      /MaxReceiveCount=5, not 99/,
    );
  });
});

/**
 * What moto 5.2.5's CloudFormation accepts but does not apply (see infra/README.md). Pinned so that
 * a moto upgrade that starts applying them fails here: then move them into the checks above.
 */
describe('moto gaps (template properties accepted, not applied)', () => {
  it('S3 PublicAccessBlockConfiguration and LifecycleConfiguration are not set on the bucket', async () => {
    expect(bucket.PublicAccessBlockConfiguration).toBeDefined();
    expect(bucket.LifecycleConfiguration).toBeDefined();
    const Bucket = testResources().bucketName;
    await expect(s3.send(new GetPublicAccessBlockCommand({ Bucket }))).rejects.toMatchObject({
      name: 'NoSuchPublicAccessBlockConfiguration',
    });
    await expect(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).rejects.toMatchObject({
      name: 'NoSuchLifecycleConfiguration',
    });
  });

  it('the TLS-only bucket policy (AWS::S3::BucketPolicy) is created as a resource but not set on the bucket', async () => {
    expect(template.Resources.ImagesBucketTlsOnlyPolicy.Type).toBe('AWS::S3::BucketPolicy');
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: testResources().bucketName }))).rejects.toMatchObject({
      name: 'NoSuchBucketPolicy',
    });
  });

  it('DynamoDB point-in-time recovery and SSESpecification are not reported', async () => {
    expect(at(table, 'PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled')).toBe(true);
    expect(at(table, 'SSESpecification', 'SSEEnabled')).toBe(true);
    const TableName = testResources().tableName;
    const backups = await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName }));
    expect(backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe('DISABLED');
    expect((await describeTable(TableName)).SSEDescription).toBeUndefined();
  });
});
