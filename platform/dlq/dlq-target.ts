import type { SQSClientConfig } from '@aws-sdk/client-sqs';
import type { PlatformDescription } from '../local/running-platform';

/** The queues `npm run dlq` works on, and how its SQS client reaches them. */
export interface DlqTarget {
  readonly deadLetterQueueUrl: string;
  readonly mainQueueUrl: string;
  readonly sqs: SQSClientConfig;
  /** Where the URLs came from, for the operator to see. */
  readonly source: 'flags or environment' | 'the running local platform';
}

export interface DlqTargetInputs {
  /** --dlq and --queue. */
  readonly flags: { readonly dlq?: string; readonly queue?: string };
  /** IMAGES_DLQ_URL and IMAGES_QUEUE_URL. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Finds the running local platform (findRunningPlatform); asked only when a URL is still missing. */
  readonly findPlatform: () => Promise<PlatformDescription | undefined>;
}

/**
 * Flags first, then the environment, then the local platform `npm start` runs: with the platform
 * up, `npm run dlq -- list` needs nothing else. When the platform fills in a URL, the client talks
 * to its emulator with its credentials; otherwise AWS is configured the SDK's standard way.
 * Undefined when neither gives both URLs.
 */
export async function resolveDlqTarget(inputs: DlqTargetInputs): Promise<DlqTarget | undefined> {
  const dlq = inputs.flags.dlq ?? inputs.env.IMAGES_DLQ_URL;
  const queue = inputs.flags.queue ?? inputs.env.IMAGES_QUEUE_URL;
  if (dlq && queue) return { deadLetterQueueUrl: dlq, mainQueueUrl: queue, sqs: {}, source: 'flags or environment' };
  const platform = await inputs.findPlatform();
  const direct = platform?.directEnv;
  const deadLetterQueueUrl = dlq ?? direct?.IMAGES_DLQ_URL;
  const mainQueueUrl = queue ?? direct?.IMAGES_QUEUE_URL;
  if (!direct || !deadLetterQueueUrl || !mainQueueUrl) return undefined;
  return { deadLetterQueueUrl, mainQueueUrl, sqs: directSqsConfig(direct), source: 'the running local platform' };
}

/** The platform's emulator, as its checker reaches it: the endpoint and keys given explicitly. */
function directSqsConfig(env: Readonly<Record<string, string>>): SQSClientConfig {
  const credentials = env.AWS_ACCESS_KEY_ID
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' }
    : undefined;
  return { region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL_SQS, ...(credentials ? { credentials } : {}) };
}
