import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { resolveAwsEnvironment } from '../../infra/deploy/aws-environment';
import { describeStack, stackOutputs } from '@imagery/cfn-deploy/stack';
import { PlatformSession } from '../../platform/local/session';

/** The stack's FIS templates (infra/template.yaml): the cloud twins of the local experiments. */
export const AWS_EXPERIMENT_OUTPUTS: Readonly<Record<string, string>> = {
  'kill-api': 'KillApiExperimentTemplateId',
  'kill-worker': 'KillWorkerExperimentTemplateId',
};

export interface AwsSession extends PlatformSession {
  /** FIS experiment template id per local experiment name. */
  readonly experimentTemplateIds: Readonly<Record<string, string>>;
}

/**
 * The platform deployed with `npm run deploy`: its load balancer, its data resources, and its FIS
 * templates, all read from the stack's outputs. Nothing here is local; the FIS client uses the
 * SDK's default endpoint. Fleet events are not collected in AWS (see the ASG's activity history).
 */
export async function openAwsSession(stackName: string): Promise<AwsSession> {
  const { region } = await resolveAwsEnvironment();
  const cfn = new CloudFormationClient({ region });
  try {
    const stack = await describeStack(cfn, stackName);
    if (!stack) throw new Error(`no stack ${stackName} in ${region}: deploy it first (npm run deploy -- --stack ${stackName})`);
    const out = stackOutputs(stack);
    const missing = ['EndpointURL', 'TableName', 'BucketName', 'QueueUrl', 'DeadLetterQueueUrl'].filter((k) => !out[k]);
    if (missing.length) throw new Error(`stack ${stackName} has no ${missing.join(', ')} output: is it the full stack (not --data-only)?`);
    return {
      pid: process.pid,
      url: out.EndpointURL.replace(/\/+$/, ''),
      fisUrl: undefined,
      toxiproxyUrl: '',
      emulatorEndpoint: '',
      directEnv: {
        AWS_REGION: region,
        IMAGES_TABLE: out.TableName,
        IMAGES_TABLE_STATE_INDEX: out.TableStateIndexName ?? 'state-updatedAt-index',
        IMAGES_BUCKET: out.BucketName,
        IMAGES_QUEUE_URL: out.QueueUrl,
        IMAGES_DLQ_URL: out.DeadLetterQueueUrl,
      },
      maxUploadBytes: 20 * 1024 * 1024,
      build: 'real',
      eventsFile: '',
      owned: false,
      fleetEvents: () => [],
      close: () => Promise.resolve(),
      experimentTemplateIds: Object.fromEntries(
        Object.entries(AWS_EXPERIMENT_OUTPUTS).flatMap(([name, key]) => (out[key] ? [[name, out[key]]] : [])),
      ),
    };
  } finally {
    cfn.destroy();
  }
}
