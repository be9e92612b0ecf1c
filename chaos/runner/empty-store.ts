import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '@imagery/aws-adapters';

/** The data stack's state: the table, the bucket, the queue and its dead-letter queue. */
export interface StoreResources {
  readonly tableName: string;
  readonly bucket: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
}

type Clients = Pick<AwsClients, 'dynamodb' | 's3' | 'sqs'>;

/** The store's resources as a platform's environment names them. */
export function storeOf(env: Readonly<Record<string, string>>): StoreResources {
  return { tableName: env.IMAGES_TABLE, bucket: env.IMAGES_BUCKET, queueUrl: env.IMAGES_QUEUE_URL, dlqUrl: env.IMAGES_DLQ_URL };
}

/** BatchWriteItem's limit. */
const DELETES_PER_BATCH = 25;
/** Bounds the emptying loops: a store that will not empty is reported by whatIsLeft, not waited on forever. */
const MAX_ROUNDS = 1_000;

/**
 * How long a message received by an instance that is gone may stay invisible: the chaos workers'
 * longest backoff (RETRY_BACKOFF_MAX_SECONDS, 30 s) and some slack.
 */
const IN_FLIGHT_TIMEOUT_MS = 45_000;

/**
 * Empties the store (every item, object and message, dead letters included) and proves it empty,
 * or throws saying what is left. The mutation matrix calls it between builds on one platform,
 * with no instance running: nothing an earlier build left (an image stuck in `uploaded`, a
 * message, a dead letter, an object) is there for the next build to act on or be judged on.
 * Messages are received and deleted, not purged: SQS allows one PurgeQueue a minute, and a
 * message a killed worker held comes back only when its visibility timeout ends.
 */
export async function emptyStore(clients: Clients, store: StoreResources, inFlightTimeoutMs = IN_FLIGHT_TIMEOUT_MS): Promise<void> {
  await Promise.all([
    deleteMessages(clients, store.queueUrl, inFlightTimeoutMs),
    deleteMessages(clients, store.dlqUrl, inFlightTimeoutMs),
    deleteItems(clients, store.tableName),
    deleteObjects(clients, store.bucket),
  ]);
  const left = await whatIsLeft(clients, store);
  if (left.length) throw new Error(`the store is not empty after emptying it: ${left.join(', ')}`);
}

/** What the store still holds, one phrase per part that is not empty (none: the store is empty). */
export async function whatIsLeft(clients: Clients, store: StoreResources): Promise<string[]> {
  const [items, objects, queued, dead] = await Promise.all([
    clients.dynamodb.send(new ScanCommand({ TableName: store.tableName, Select: 'COUNT', ConsistentRead: true })),
    clients.s3.send(new ListObjectsV2Command({ Bucket: store.bucket, MaxKeys: 1 })),
    messagesIn(clients, store.queueUrl),
    messagesIn(clients, store.dlqUrl),
  ]);
  return [
    items.Count ? `${items.Count} item(s) in ${store.tableName}` : '',
    objects.KeyCount ? `object(s) in ${store.bucket}` : '',
    queued ? `${queued} message(s) in ${store.queueUrl}` : '',
    dead ? `${dead} message(s) in ${store.dlqUrl}` : '',
  ].filter(Boolean);
}

async function messagesIn(clients: Clients, queueUrl: string): Promise<number> {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;
  const out = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }));
  return names.reduce((sum, name) => sum + Number(out.Attributes?.[name] ?? 0), 0);
}

/** Receives and deletes until the queue reports nothing (visible, in flight or delayed), or `timeoutMs` has passed. */
async function deleteMessages(clients: Clients, queueUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await messagesIn(clients, queueUrl)) > 0 && Date.now() < deadline) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    const entries = Messages.flatMap((m, i) => (m.ReceiptHandle ? [{ Id: String(i), ReceiptHandle: m.ReceiptHandle }] : []));
    if (entries.length) await clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    else await sleep(250); // in flight or delayed: they come back
  }
}

async function deleteItems(clients: Clients, tableName: string): Promise<void> {
  // Always scan from the start: what was deleted is gone, so each page is the next batch.
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const page = await clients.dynamodb.send(new ScanCommand({ TableName: tableName, ProjectionExpression: 'id', ConsistentRead: true }));
    const ids = (page.Items ?? []).map((item) => item.id as string);
    if (!ids.length) return;
    const batches = Array.from({ length: Math.ceil(ids.length / DELETES_PER_BATCH) }, (_, i) =>
      ids.slice(i * DELETES_PER_BATCH, (i + 1) * DELETES_PER_BATCH),
    );
    // Unprocessed deletes come back in the next scan.
    await Promise.all(
      batches.map((batch) =>
        clients.dynamodb.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: batch.map((id) => ({ DeleteRequest: { Key: { id } } })) } }),
        ),
      ),
    );
  }
}

async function deleteObjects(clients: Clients, bucket: string): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ Key: o.Key }]));
    if (!keys.length) return;
    const { Errors = [] } = await clients.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    if (Errors.length)
      throw new Error(`could not delete ${Errors.length} object(s) from ${bucket}: ${Errors[0].Code} ${Errors[0].Message}`);
  }
}
