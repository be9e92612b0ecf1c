import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AwsService, DecoratedRequestHandler, DynamoDbImageTable, operationOf, S3ObjectStore, SqsImageQueue } from '@imagery/aws-adapters';
import type { HttpHandler } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * The platform's own adapters (DynamoDbImageTable, S3ObjectStore, SqsImageQueue) on clients whose
 * endpoints are given explicitly — the emulator itself, or a Toxiproxy proxy in front of it —
 * rather than read from this process's environment, so the bench never changes what the fleet's
 * replacement instances inherit. Every HTTP request is counted and timed per operation (each SDK
 * attempt: what the emulator actually serves).
 */
export interface DirectEndpoints {
  readonly dynamodb: string;
  readonly s3: string;
  readonly sqs: string;
}

export interface OpTimings {
  /** ms per request, by operation (GetItem, PutObject, SendMessage...). */
  readonly byOperation: Map<string, number[]>;
  count(): number;
  reset(): void;
}

export interface DirectAws {
  readonly endpoints: DirectEndpoints;
  readonly region: string;
  readonly tableName: string;
  readonly table: DynamoDbImageTable;
  readonly store: S3ObjectStore;
  readonly raw: { readonly dynamodb: DynamoDBDocumentClient; readonly s3: S3Client; readonly sqs: SQSClient };
  readonly ops: OpTimings;
  queue(url: string): SqsImageQueue;
  destroy(): void;
}

export function directAws(env: Readonly<Record<string, string>>, endpoints: DirectEndpoints): DirectAws {
  const byOperation = new Map<string, number[]>();
  const ops: OpTimings = {
    byOperation,
    count: () => [...byOperation.values()].reduce((n, list) => n + list.length, 0),
    reset: () => byOperation.clear(),
  };
  const handler = (service: AwsService): HttpHandler => {
    const real = new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 30_000 }) as unknown as HttpHandler;
    return new DecoratedRequestHandler(real, async (request, send) => {
      const operation = operationOf(service, request);
      const t = performance.now();
      try {
        return await send();
      } finally {
        const list = byOperation.get(operation) ?? [];
        list.push(performance.now() - t);
        byOperation.set(operation, list);
      }
    });
  };
  const common = {
    region: env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test' },
  };
  const ddb = new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb, requestHandler: handler('dynamodb') });
  const dynamodb = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  const s3 = new S3Client({
    ...common,
    endpoint: endpoints.s3,
    forcePathStyle: true,
    requestHandler: handler('s3'),
    // as the apps' S3 client (libs/aws-adapters aws-clients.ts): no CRC32 of every body sent or received,
    // so the bench's requests are the ones the platform makes (without it PutObject goes aws-chunked
    // with a CRC32 trailer, which the apps never send)
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const sqs = new SQSClient({ ...common, endpoint: endpoints.sqs, requestHandler: handler('sqs') });
  return {
    endpoints,
    region: common.region,
    tableName: env.IMAGES_TABLE,
    table: new DynamoDbImageTable(dynamodb, { tableName: env.IMAGES_TABLE, stateIndexName: env.IMAGES_TABLE_STATE_INDEX }),
    store: new S3ObjectStore(s3, env.IMAGES_BUCKET),
    raw: { dynamodb, s3, sqs },
    ops,
    queue: (url) => new SqsImageQueue(sqs, url),
    destroy: () => [dynamodb, ddb, s3, sqs].forEach((c) => c.destroy()),
  };
}

/** http://host:port for an address Toxiproxy reports as host:port. */
export const httpUrl = (address: string): string => (address.startsWith('http') ? address : `http://${address}`);
