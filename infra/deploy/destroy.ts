import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { DeployError } from '@imagery/cfn-deploy/deploy-error';
import { resolveAwsEnvironment, where } from './aws-environment';
import { deleteBucket, emptyBucket } from './buckets';
import { artifactsStackName, checkStackName, log, runCli } from './cli';
import { deployClients, type DeployClients } from './deploy-clients';
import { deleteStack, describeStack, stackOutputs } from '@imagery/cfn-deploy/stack';

const USAGE = `usage: npm run destroy -- [--stack NAME] [--keep-data] [--yes]

  --stack NAME   stack name (default: imagery)
  --keep-data    keep the images bucket and table and the access logs (the template retains them), delete the rest
  --yes          do not ask for confirmation (asked only on a terminal)
AWS: the standard AWS_REGION / AWS_PROFILE / credentials chain (and AWS_ENDPOINT_URL for an emulator).`;

/**
 * Deletes everything `npm run deploy` made: the images bucket is emptied first, the stack deleted,
 * then the bucket and table it retains (DeletionPolicy: Retain guards against accidents, not
 * against this command), then the artifacts stack after emptying its bucket.
 */
export async function destroy(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: 'string', default: 'imagery' },
      'keep-data': { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
    },
  });
  const stackName = checkStackName(values.stack);
  const keepData = values['keep-data'];

  const aws = await resolveAwsEnvironment();
  const clients = deployClients(aws);
  try {
    const stack = await describeStack(clients.cfn, stackName);
    const { BucketName: bucket, TableName: table, LogBucketName: logBucket } = stack ? stackOutputs(stack) : ({} as Record<string, string>);
    const lost = keepData || !stack ? '' : ` and every image in it (bucket ${bucket}, table ${table})`;
    log(`destroying ${stackName}${lost} in ${where(aws)}, ${aws.identity}`);
    if (!values.yes) await confirm(stackName);

    if (stack) {
      if (!keepData && bucket) log(`emptied ${bucket}: ${await emptyBucket(clients.s3, bucket)} objects`);
      await deleteStack(clients.cfn, stackName, { log });
      if (keepData) log(`kept: bucket ${bucket}, table ${table}${logBucket ? `, access logs ${logBucket}` : ''}`);
      else await deleteRetainedData(clients, bucket, table, logBucket);
    } else {
      log(`stack ${stackName} does not exist`);
    }
    await deleteArtifacts(clients, stackName);
    log('destroyed');
  } finally {
    clients.destroy();
  }
}

async function deleteRetainedData(clients: DeployClients, bucket?: string, table?: string, logBucket?: string): Promise<void> {
  // the log bucket (a full stack's, absent from a data-only one) last: deleting the others still logs there
  for (const name of [bucket, logBucket]) {
    if (!name) continue;
    await emptyBucket(clients.s3, name); // anything written while the stack was being deleted
    await deleteBucket(clients.s3, name);
    log(`deleted bucket ${name}`);
  }
  if (table) {
    try {
      await clients.dynamodb.send(new DeleteTableCommand({ TableName: table }));
      log(`deleted table ${table}`);
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
  }
}

async function deleteArtifacts(clients: DeployClients, stackName: string): Promise<void> {
  const name = artifactsStackName(stackName);
  const stack = await describeStack(clients.cfn, name);
  if (!stack) return;
  const bucket = stackOutputs(stack).ArtifactBucketName;
  if (bucket) log(`emptied ${bucket}: ${await emptyBucket(clients.s3, bucket)} objects`);
  await deleteStack(clients.cfn, name, { log });
}

/** Only on a terminal: scripts and CI pass --yes or run without one. */
async function confirm(stackName: string): Promise<void> {
  if (!process.stdin.isTTY) return;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(`type the stack name (${stackName}) to confirm: `);
    if (answer.trim() !== stackName) throw new DeployError('not confirmed, nothing deleted');
  } finally {
    prompt.close();
  }
}

if (require.main === module) runCli('destroy', USAGE, destroy);
