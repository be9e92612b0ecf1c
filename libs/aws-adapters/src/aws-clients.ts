import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandler } from '@smithy/core/protocols';
import { markSdkRetries } from './coverage/sdk-retry-marker';
import { PerCallRetryStrategy, requestSeededJitter } from './per-call-retry-strategy';

export type AwsService = 'dynamodb' | 's3' | 'sqs';

/**
 * The seam for fault injection: every client's real HTTP handler passes through this, so a
 * wrapper sits *below* the SDK's retries and parsing, exactly where a real network or AWS
 * error would appear.
 */
export type RequestHandlerWrapper = (service: AwsService, real: HttpHandler) => HttpHandler;

export interface AwsClientOptions {
  /** S3 emulators without virtual-host DNS need path-style URLs. */
  readonly s3ForcePathStyle?: boolean;
  readonly wrapRequestHandler?: RequestHandlerWrapper;
  /**
   * Retries decided per call, without the quota a client's calls share, their backoff drawn from the
   * request (see PerCallRetryStrategy): where faults are injected and their schedules replayed.
   * Otherwise the SDK's default.
   */
  readonly perCallRetries?: boolean;
}

export interface AwsClients {
  readonly dynamodb: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  destroy(): void;
}

/**
 * Region, endpoints and credentials come only from the SDK's standard configuration
 * (AWS_REGION, AWS_ENDPOINT_URL_<SERVICE>, the default credential chain), so the same build
 * runs against the emulator and against AWS.
 */
export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const handler = (service: AwsService): HttpHandler => {
    const real = new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 30_000 }) as unknown as HttpHandler;
    return options.wrapRequestHandler ? options.wrapRequestHandler(service, real) : real;
  };
  // Each client's own maxAttempts (AWS_MAX_ATTEMPTS, or the service's default), read when a call fails.
  const retries = (maxAttempts: () => { config: { maxAttempts: () => Promise<number> } }) =>
    options.perCallRetries
      ? { retryStrategy: new PerCallRetryStrategy(() => maxAttempts().config.maxAttempts(), requestSeededJitter) }
      : {};
  const raw: DynamoDBClient = new DynamoDBClient({ requestHandler: handler('dynamodb'), ...retries(() => raw) });
  const dynamodb = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const s3: S3Client = new S3Client({
    requestHandler: handler('s3'),
    ...retries(() => s3),
    forcePathStyle: options.s3ForcePathStyle ?? false,
    // No CRC32 of every body in JavaScript (the SDK's default since 2025; measured ~0.5 core-ms per
    // 100 KB PutObject): SigV4 already signs a Buffer body's SHA-256, and the checker hashes every object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const sqs: SQSClient = new SQSClient({ requestHandler: handler('sqs'), ...retries(() => sqs) });
  markSdkRetries(raw, 'dynamodb'); // the document client shares this stack
  markSdkRetries(s3, 's3');
  markSdkRetries(sqs, 'sqs');
  // No SDK logger is configured, yet its middleware filtered every input and output for the default
  // one, which discards them: ~0.09 core-ms of a ~1.1 ms GetItem (interleaved loops, with and without).
  for (const stack of [raw.middlewareStack, s3.middlewareStack, sqs.middlewareStack]) stack.remove('loggerMiddleware');
  return {
    dynamodb,
    s3,
    sqs,
    destroy: () => [dynamodb, raw, s3, sqs].forEach((c) => c.destroy()),
  };
}
