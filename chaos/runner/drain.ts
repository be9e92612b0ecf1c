import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DrainTarget {
  readonly env: Readonly<Record<string, string>>;
}

export interface DrainResult {
  readonly drained: boolean;
  readonly waitedMs: number;
  readonly queued: number;
  readonly uploaded: number;
}

/** How often the queue and the table are read: a system that settles is seen within this. */
export const DRAIN_POLL_MS = 250;
/** How long nothing may be left to do before the system counts as settled: three reads in a row. */
export const DRAIN_QUIET_MS = 500;

/**
 * After the faults: wait (bounded) until nothing is left to do — the queue empty and no image
 * still `uploaded` — over DRAIN_QUIET_MS of reads in a row, so the checker judges a settled system,
 * not one mid-flight. Read often (DRAIN_POLL_MS), so a run waits for its system, not for a tick.
 */
export async function waitForDrain(target: DrainTarget, timeoutMs: number, onTick?: (r: DrainResult) => void): Promise<DrainResult> {
  const backlog = backlogReader(target.env);
  const started = Date.now();
  let quietSince: number | undefined;
  let last: DrainResult = { drained: false, waitedMs: 0, queued: -1, uploaded: -1 };
  try {
    while (Date.now() - started < timeoutMs) {
      const { queued, uploaded } = await backlog.read();
      const readAt = Date.now();
      quietSince = queued === 0 && uploaded === 0 ? (quietSince ?? readAt) : undefined;
      last = { drained: quietSince !== undefined && readAt - quietSince >= DRAIN_QUIET_MS, waitedMs: readAt - started, queued, uploaded };
      onTick?.(last);
      if (last.drained) return last;
      await sleep(DRAIN_POLL_MS);
    }
    return last;
  } finally {
    backlog.destroy();
  }
}

/** One read of what is left to do: nothing queued (visible, in flight or delayed) and no image `uploaded`. */
export async function nothingLeftNow(target: DrainTarget): Promise<boolean> {
  const backlog = backlogReader(target.env);
  try {
    const { queued, uploaded } = await backlog.read();
    return queued === 0 && uploaded === 0;
  } finally {
    backlog.destroy();
  }
}

/** Reads the queue's messages (visible, in flight, delayed) and the images still `uploaded`. */
function backlogReader(env: Readonly<Record<string, string>>) {
  // Explicit endpoint and keys locally (the emulator); in AWS, the SDK's default chain.
  const credentials = env.AWS_ACCESS_KEY_ID
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
    : undefined;
  const sqs = new SQSClient({ region: env.AWS_REGION, credentials, endpoint: env.AWS_ENDPOINT_URL_SQS });
  const ddb = new DynamoDBClient({ region: env.AWS_REGION, credentials, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB });
  return {
    async read(): Promise<{ queued: number; uploaded: number }> {
      const [attrs, stuck] = await Promise.all([
        sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: env.IMAGES_QUEUE_URL,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
          }),
        ),
        ddb.send(
          new QueryCommand({
            TableName: env.IMAGES_TABLE,
            IndexName: env.IMAGES_TABLE_STATE_INDEX,
            KeyConditionExpression: '#s = :s',
            ExpressionAttributeNames: { '#s': 'state' },
            ExpressionAttributeValues: { ':s': { S: 'uploaded' } },
            Select: 'COUNT',
          }),
        ),
      ]);
      const a = attrs.Attributes ?? {};
      const queued =
        Number(a.ApproximateNumberOfMessages ?? 0) +
        Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(a.ApproximateNumberOfMessagesDelayed ?? 0);
      return { queued, uploaded: stuck.Count ?? 0 };
    },
    destroy(): void {
      sqs.destroy();
      ddb.destroy();
    },
  };
}
