import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@imagery/kernel/repo-root';
import { type Artifact, packageArtifact } from './artifact';
import { DeployError } from '@imagery/cfn-deploy/deploy-error';
import { resolveAwsEnvironment, where, type AwsEnvironment } from './aws-environment';
import { templateUrl, uploadOnce } from './buckets';
import { artifactsStackName, checkStackName, log, runCli } from './cli';
import { deployClients, type DeployClients } from './deploy-clients';
import { buildParameters, parseParameterOverrides, templateParameters, templatePath, type TemplateName } from './parameters';
import { type Stack } from '@aws-sdk/client-cloudformation';
import { deployStack, describeStack, stackOutputs } from '@imagery/cfn-deploy/stack';

const USAGE = `usage: npm run deploy -- [--stack NAME] [--data-only] [--artifact FILE] [--parameter Key=Value]...

  --stack NAME          stack name (default: imagery); the artifact bucket's stack is NAME-artifacts
  --data-only           deploy infra/data.yaml alone (bucket, table, queues), no network or instances
  --artifact FILE       deploy this release tarball instead of packaging the current build
  --parameter K=V       a template parameter (see infra/template.yaml); on updates, parameters
                        not given keep their deployed values
AWS: the standard AWS_REGION / AWS_PROFILE / credentials chain (and AWS_ENDPOINT_URL for an emulator).`;

/** Marks which template a stack was made from, so a data-only stack is never "updated" into the full one. */
const TEMPLATE_TAG = 'imagery:template';

/** What the command line asks for. */
interface DeployRequest {
  stackName: string;
  kind: TemplateName;
  overrides: Record<string, string>;
  artifact?: string;
}

export async function deploy(argv: string[]): Promise<void> {
  const request = parseDeployArgs(argv);
  const aws = await resolveAwsEnvironment();
  const what = request.kind === 'root' ? 'the platform' : 'data resources only';
  log(`deploying ${request.stackName} (${what}) to ${where(aws)}, ${aws.identity}`);
  const clients = deployClients(aws);
  try {
    const stack = await deployRelease(clients, aws, request);
    const { EndpointURL, ...outputs } = stackOutputs(stack);
    for (const [key, value] of Object.entries(outputs)) log(`${key}: ${value}`);
    if (EndpointURL) log(`EndpointURL: ${EndpointURL}`);
  } finally {
    clients.destroy();
  }
}

function parseDeployArgs(argv: string[]): DeployRequest {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: 'string', default: 'imagery' },
      'data-only': { type: 'boolean', default: false },
      artifact: { type: 'string' },
      parameter: { type: 'string', multiple: true, default: [] },
    },
  });
  const stackName = checkStackName(values.stack);
  const kind: TemplateName = values['data-only'] ? 'data' : 'root';
  const overrides = parseParameterOverrides(values.parameter);
  if (kind === 'data' && values.artifact) throw new DeployError('--artifact is for the platform; --data-only deploys no release');
  return { stackName, kind, overrides, artifact: values.artifact };
}

/** Uploads the templates (and the release, for the platform), then creates or updates the stack. */
async function deployRelease(clients: DeployClients, aws: AwsEnvironment, request: DeployRequest): Promise<Stack> {
  const { stackName, kind } = request;
  const existing = await existingOfKind(clients, stackName, kind);
  const bucket = await ensureArtifactBucket(clients, stackName);
  // The root template nests data.yaml from the bucket too (its DataTemplateKey parameter).
  const release =
    kind === 'root'
      ? {
          ArtifactBucket: bucket,
          ArtifactKey: await uploadRelease(clients, bucket, request.artifact),
          DataTemplateKey: await uploadTemplate(clients, bucket, 'data'),
        }
      : undefined;
  const template = await uploadTemplate(clients, bucket, kind);
  const parameters = buildParameters({
    declared: templateParameters(kind),
    overrides: request.overrides,
    release,
    previous: Object.fromEntries((existing?.Parameters ?? []).map((p) => [p.ParameterKey!, p.ParameterValue!])),
  });
  return deployStack(
    clients.cfn,
    {
      stackName,
      templateUrl: templateUrl(bucket, aws.region, template),
      parameters,
      tags: [{ Key: TEMPLATE_TAG, Value: kind }],
      capabilities: ['CAPABILITY_IAM'], // the roles have no fixed names
    },
    { log },
  );
}

/** The deployed stack of that name, if any; one made from the other template is an error. */
async function existingOfKind(clients: DeployClients, stackName: string, kind: TemplateName): Promise<Stack | undefined> {
  const existing = await describeStack(clients.cfn, stackName);
  const deployedKind = existing?.Tags?.find((tag) => tag.Key === TEMPLATE_TAG)?.Value;
  if (existing && deployedKind !== kind) {
    throw new DeployError(
      `stack ${stackName} holds ${deployedKind ?? 'another template'}, not ${kind}: use another --stack, or npm run destroy first`,
    );
  }
  return existing;
}

/** The artifacts stack (infra/artifacts.yaml): created on first deploy, then left as is. */
async function ensureArtifactBucket(clients: DeployClients, stackName: string): Promise<string> {
  const stack = await deployStack(
    clients.cfn,
    { stackName: artifactsStackName(stackName), templateBody: readFileSync(templatePath('artifacts'), 'utf8') },
    { log },
  );
  return stackOutputs(stack).ArtifactBucketName;
}

/** Packages the current build (or takes --artifact) and uploads it; returns its key. */
async function uploadRelease(clients: DeployClients, bucket: string, given?: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'imagery-release-'));
  try {
    let artifact: Pick<Artifact, 'file' | 'key'>;
    if (given) {
      artifact = { file: given, key: `releases/imagery-${sha256(readFileSync(given)).slice(0, 16)}.tar.gz` };
    } else {
      log('packaging the build and its production dependencies');
      const packaged = await packageArtifact(repoRoot(), join(dir, 'imagery.tar.gz'));
      log(`  ${packaged.files} files, sha256 ${packaged.sha256.slice(0, 16)}`);
      artifact = packaged;
    }
    const uploaded = await uploadOnce(clients.s3, bucket, artifact.key, artifact.file);
    log(`${uploaded ? 'uploaded' : 'already uploaded:'} s3://${bucket}/${artifact.key}`);
    return artifact.key;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Uploads a template under a content-addressed key (unchanged template, unchanged URL). */
async function uploadTemplate(clients: DeployClients, bucket: string, name: TemplateName): Promise<string> {
  const file = templatePath(name);
  const key = `templates/${name}-${sha256(readFileSync(file)).slice(0, 16)}.yaml`;
  await uploadOnce(clients.s3, bucket, key, file);
  return key;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

if (require.main === module) runCli('deploy', USAGE, deploy);
