import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, QueueAttributeName, SQSClient } from '@aws-sdk/client-sqs';
import { createAwsClients, envBoolean } from '@imagery/aws-adapters';
import { peekMessages } from './peek-messages';
import { scopeFinalState, type RunScope } from './run-scope';
import { baselineOf, type StoreBaseline } from './store-baseline';
import type { FinalState, QueueCounts, StoredItem, StoredObject } from './stored-state';

// Only for judge-run.ts, until it imports FinalState from ./stored-state like everyone else.

export interface FinalStateClients {
  readonly dynamodb: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
}

export interface ReadFinalStateOptions {
  readonly tableName: string;
  readonly bucket: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  /** Without clients, ones are made from the SDK's standard environment and destroyed afterwards. */
  readonly clients?: FinalStateClients;
  /**
   * What this run touched: given, the state is scoped to it (scopeFinalState) — items, objects and
   * dead letters of other runs on the same platform are left out. Without it, everything is judged.
   */
  readonly scope?: RunScope;
  /** At most this many dead-letter bodies are peeked (default: every one the queue reports); the rest count as unseen. */
  readonly maxDeadLetterBodies?: number;
  /** Items per Scan page and keys per ListObjectsV2 page (default: the services' own, 1 MB / 1000). */
  readonly pageSize?: number;
}

/**
 * Reads the final state: a strongly consistent Scan of the table, every object in the
 * bucket, the queues' counts, and the dead letters' bodies (peeked, left in the queue) — then,
 * given a scope, only what this run touched.
 * Region, endpoints and credentials come from the SDK's standard env (AWS_REGION,
 * AWS_ENDPOINT_URL_<SERVICE>, the credential chain); S3_FORCE_PATH_STYLE=true for emulators.
 */
export async function readFinalState(options: ReadFinalStateOptions): Promise<FinalState> {
  const own = options.clients
    ? undefined
    : createAwsClients({ s3ForcePathStyle: envBoolean.catch(false).parse(process.env.S3_FORCE_PATH_STYLE ?? 'false') });
  const clients = options.clients ?? own!;
  try {
    const [items, objects, queue, dlq] = await Promise.all([
      scanItems(clients.dynamodb, options.tableName, options.pageSize),
      listObjects(clients.s3, options.bucket, options.pageSize),
      queueCounts(clients.sqs, options.queueUrl),
      queueCounts(clients.sqs, options.dlqUrl),
    ]);
    // Every dead letter the queue reports, in flight ones included: those the peek cannot see are counted as unseen.
    const reported = dlq.visible + dlq.inFlight;
    const cap = options.maxDeadLetterBodies !== undefined ? { max: options.maxDeadLetterBodies } : {};
    const peek = reported > 0 ? await peekMessages(clients.sqs, options.dlqUrl, { expected: reported, ...cap }) : { bodies: [], unseen: 0 };
    const unseen = peek.unseen > 0 ? { unseen: peek.unseen } : {};
    const deadLetter = { visible: dlq.visible, inFlight: dlq.inFlight, messages: peek.bodies, ...unseen };
    const state: FinalState = { items, objects, queue, deadLetter };
    return options.scope ? scopeFinalState(state, options.scope) : state;
  } finally {
    own?.destroy();
  }
}

/** The store as a run starts (every item and every object): what its end is compared with. */
export async function readStoreBaseline(options: {
  readonly clients: FinalStateClients;
  readonly tableName: string;
  readonly bucket: string;
}): Promise<StoreBaseline> {
  const [items, objects] = await Promise.all([
    scanItems(options.clients.dynamodb, options.tableName),
    listObjects(options.clients.s3, options.bucket),
  ]);
  return baselineOf({ items, objects });
}

async function scanItems(dynamodb: DynamoDBDocumentClient, tableName: string, pageSize?: number): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  const input = { TableName: tableName, ConsistentRead: true, ...(pageSize ? { Limit: pageSize } : {}) };
  for await (const page of paginateScan({ client: dynamodb }, input)) {
    items.push(...((page.Items ?? []) as StoredItem[]));
  }
  return items;
}

async function listObjects(s3: S3Client, bucket: string, pageSize?: number): Promise<StoredObject[]> {
  const objects: StoredObject[] = [];
  for await (const page of paginateListObjectsV2({ client: s3, ...(pageSize ? { pageSize } : {}) }, { Bucket: bucket })) {
    for (const o of page.Contents ?? []) {
      if (o.Key !== undefined) {
        objects.push({
          key: o.Key,
          size: o.Size ?? 0,
          ...(o.ETag ? { etag: o.ETag } : {}),
          ...(o.LastModified ? { lastModified: o.LastModified.getTime() } : {}),
        });
      }
    }
  }
  return objects;
}

async function queueCounts(sqs: SQSClient, queueUrl: string): Promise<QueueCounts> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  const count = (name: QueueAttributeName) => Number(out.Attributes?.[name] ?? 0);
  return {
    visible: count('ApproximateNumberOfMessages'),
    inFlight: count('ApproximateNumberOfMessagesNotVisible'),
    delayed: count('ApproximateNumberOfMessagesDelayed'),
  };
}
