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
 * Flags first, then the environment; only when neither names a queue, the local platform `npm start`
 * runs: with the platform up, `npm run dlq -- list` needs nothing else, and its client talks to the
 * platform's emulator with its credentials. The sources are never mixed (an AWS queue beside an
 * emulator one): a URL given but its partner missing is undefined, as when nothing gives both.
 */
export async function resolveDlqTarget(inputs: DlqTargetInputs): Promise<DlqTarget | undefined> {
  const dlq = inputs.flags.dlq ?? inputs.env.IMAGES_DLQ_URL;
  const queue = inputs.flags.queue ?? inputs.env.IMAGES_QUEUE_URL;
  if (dlq && queue) return { deadLetterQueueUrl: dlq, mainQueueUrl: queue, sqs: {}, source: 'flags or environment' };
  if (dlq || queue) return undefined;
  const direct = (await inputs.findPlatform())?.directEnv;
  const deadLetterQueueUrl = direct?.IMAGES_DLQ_URL;
  const mainQueueUrl = direct?.IMAGES_QUEUE_URL;
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
