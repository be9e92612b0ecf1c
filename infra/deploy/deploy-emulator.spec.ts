import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_CREDENTIALS, LOCAL_REGION, queueUrlAt } from '../../platform/local/emulator/data-stack';
import { describeStack } from '@imagery/cfn-deploy/stack';
import { emulatorEndpoint } from '@imagery/testing/platform/local-aws';
import { deleteBucket, emptyBucket, uploadOnce } from './buckets';
import { templatePath } from './parameters';
import { isolatedEnv, runCommand } from '@imagery/testing/infra/run-command';

/**
 * `npm run deploy -- --data-only` and `npm run destroy` against the emulator (moto has
 * CloudFormation and S3): the same code path as in AWS - artifacts stack, content-addressed upload,
 * create from TemplateURL, progress, "no changes", update, destroy. The full template cannot run
 * on moto (no FIS, no Fn::Cidr); infra/template.spec.ts checks it statically.
 */
const config = () => ({ endpoint: emulatorEndpoint(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
let cfn: CloudFormationClient;
let s3: S3Client;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;
beforeAll(() => {
  cfn = new CloudFormationClient(config());
  s3 = new S3Client({ ...config(), forcePathStyle: true });
  sqs = new SQSClient(config());
  dynamodb = new DynamoDBClient(config());
});
afterAll(() => [cfn, s3, sqs, dynamodb].forEach((client) => client.destroy()));

const cliEnv = () =>
  isolatedEnv({
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL: emulatorEndpoint(),
    S3_FORCE_PATH_STYLE: 'true',
  });

/** The `Key: value` lines the command prints at the end. */
const outputsOf = (stdout: string): Record<string, string> =>
  Object.fromEntries([...stdout.matchAll(/^(\w+): (\S+)$/gm)].map((m) => [m[1], m[2]]));

async function maxReceiveCount(queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrlAt(emulatorEndpoint(), queueUrl), AttributeNames: ['RedrivePolicy'] }),
  );
  return (JSON.parse(Attributes!.RedrivePolicy!) as { maxReceiveCount: number }).maxReceiveCount;
}

// One data-only stack, deployed, re-deployed, updated and destroyed by the tests below in turn.
const stack = `imagery-deploy-${randomBytes(3).toString('hex')}`;
let outputs: Record<string, string>;

async function deployedParameter(key: string): Promise<string | undefined> {
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
  return Stacks![0].Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;
}

describe('npm run deploy -- --data-only on the emulator', () => {
  it('creates the artifacts stack and the data stack from the uploaded template, printing progress and outputs', async () => {
    const { code, stdout, stderr } = await runCommand(
      'deploy',
      ['--data-only', '--stack', stack, '--parameter', 'MaxReceiveCount=3'],
      cliEnv(),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`deploying ${stack} (data resources only) to us-east-1 at ${emulatorEndpoint()}`);
    expect(stdout).toContain(`creating stack ${stack}-artifacts`);
    expect(stdout).toMatch(new RegExp(`CREATE_COMPLETE\\s+${stack} \\(AWS::CloudFormation::Stack\\)`));
    outputs = outputsOf(stdout);
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['BucketName', 'TableName', 'QueueUrl', 'DeadLetterQueueUrl']));

    const table = (await dynamodb.send(new DescribeTableCommand({ TableName: outputs.TableName }))).Table!;
    expect(table.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual([outputs.TableStateIndexName]);
    await s3.send(new HeadBucketCommand({ Bucket: outputs.BucketName }));
    expect(await maxReceiveCount(outputs.QueueUrl)).toBe(3);
  });

  it('uploaded data.yaml to the artifact bucket under a content-addressed key', async () => {
    const artifacts = (await cfn.send(new DescribeStacksCommand({ StackName: `${stack}-artifacts` }))).Stacks![0];
    const bucket = artifacts.Outputs!.find((o) => o.OutputKey === 'ArtifactBucketName')!.OutputValue!;
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(Contents.map((o) => o.Key)).toEqual([expect.stringMatching(/^templates\/data-[0-9a-f]{16}\.yaml$/)]);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: Contents[0].Key }));
    expect(await object.Body!.transformToString()).toBe(readFileSync(templatePath('data'), 'utf8'));
  });

  it('the same deploy again succeeds on the same resources', async () => {
    const { code, stdout, stderr } = await runCommand(
      'deploy',
      ['--data-only', '--stack', stack, '--parameter', 'MaxReceiveCount=3'],
      cliEnv(),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // AWS answers "no changes"; moto 5.2.5 only does when every parameter is UsePreviousValue
    // (it compares the strings sent with the numbers it stored): libs/cfn-deploy/src/stack.spec.ts covers it
    expect(stdout).toMatch(new RegExp(`${stack}: no changes|UPDATE_COMPLETE\\s+${stack} `));
    expect(outputsOf(stdout)).toEqual(outputs);
  });

  it('a re-deploy without --parameter keeps the value given earlier', async () => {
    const { code, stdout } = await runCommand('deploy', ['--data-only', '--stack', stack], cliEnv());
    expect(code).toBe(0);
    expect(outputsOf(stdout)).toEqual(outputs);
    expect(await deployedParameter('MaxReceiveCount')).toBe('3');
    expect(await maxReceiveCount(outputs.QueueUrl)).toBe(3);
  });
});

describe('then, on the same stack: npm run deploy with changes, then npm run destroy', () => {
  it('a new parameter value updates the stack in place', async () => {
    const { code, stdout } = await runCommand('deploy', ['--data-only', '--stack', stack, '--parameter', 'MaxReceiveCount=4'], cliEnv());
    expect(code).toBe(0);
    expect(stdout).toContain(`updating stack ${stack}`);
    expect(stdout).toMatch(new RegExp(`UPDATE_COMPLETE\\s+${stack} `));
    expect(outputsOf(stdout)).toEqual(outputs); // same resources, not replaced
    expect(await deployedParameter('MaxReceiveCount')).toBe('4');
    // (moto 5.2.5 does not apply a changed RedrivePolicy to the existing queue; AWS does)
  });

  it('refuses to turn a data-only stack into the full platform', async () => {
    const { code, stderr } = await runCommand('deploy', ['--stack', stack], cliEnv());
    expect(stderr).toContain(`deploy: stack ${stack} holds data, not root: use another --stack, or npm run destroy first`);
    expect(code).toBe(1);
  });

  it('destroy empties the bucket, deletes the stack, the retained bucket and table, and the artifacts', async () => {
    for (const key of ['upload/a.jpg', 'processed/a.jpg', 'upload/b.jpg']) {
      await s3.send(new PutObjectCommand({ Bucket: outputs.BucketName, Key: key, Body: 'x' }));
    }
    const { code, stdout, stderr } = await runCommand('destroy', ['--stack', stack], cliEnv());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`destroying ${stack} and every image in it (bucket ${outputs.BucketName}, table ${outputs.TableName})`);
    expect(stdout).toContain(`emptied ${outputs.BucketName}: 3 objects`);
    expect(stdout).toMatch(/DELETE_COMPLETE/);
    expect(await describeStack(cfn, stack)).toBeUndefined();
    expect(await describeStack(cfn, `${stack}-artifacts`)).toBeUndefined();
    await expect(s3.send(new HeadBucketCommand({ Bucket: outputs.BucketName }))).rejects.toMatchObject({ name: 'NotFound' });
    await expect(dynamodb.send(new DescribeTableCommand({ TableName: outputs.TableName }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });

    const again = await runCommand('destroy', ['--stack', stack], cliEnv());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`stack ${stack} does not exist`);
  });
});

describe('bucket helpers on the emulator', () => {
  const bucket = `imagery-buckets-${randomBytes(4).toString('hex')}`;
  beforeAll(() => s3.send(new CreateBucketCommand({ Bucket: bucket })));

  it('uploads a content-addressed key once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imagery-upload-'));
    try {
      writeFileSync(join(dir, 'release.tar.gz'), 'release');
      expect(await uploadOnce(s3, bucket, 'releases/r1.tar.gz', join(dir, 'release.tar.gz'))).toBe(true);
      expect(await uploadOnce(s3, bucket, 'releases/r1.tar.gz', join(dir, 'release.tar.gz'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('empties a bucket of more than one page of objects, then deletes it', async () => {
    const keys = Array.from({ length: 1_050 }, (_, i) => `upload/${i}.jpg`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys.slice(i, i + 50).map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: '', ContentLength: 0 }))),
      );
    }
    expect(await emptyBucket(s3, bucket)).toBe(keys.length + 1);
    await deleteBucket(s3, bucket);
    await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NotFound' });
    expect(await emptyBucket(s3, bucket)).toBe(0); // gone counts as empty
  });
});
