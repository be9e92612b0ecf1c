import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbImageTable } from '@imagery/aws-adapters';
import { Image } from '@imagery/domain';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../platform/local/emulator/data-stack';
import { TestStack } from '../platform/local-aws';

export interface QueueDepth {
  readonly visible: number;
  readonly inFlight: number;
}

/**
 * The test's own view of one deployed stack, through its own SDK clients (not the apps'):
 * what is in the table, the bucket and the queues.
 */
export class StackProbe {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBDocumentClient;
  /** The platform's DynamoDB adapter, for tests that write what the API would refuse to. */
  readonly table: DynamoDbImageTable;
  private readonly raw: DynamoDBClient;

  constructor(readonly stack: TestStack) {
    const common = { endpoint: stack.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    this.s3 = new S3Client({ ...common, forcePathStyle: true });
    this.sqs = new SQSClient(common);
    this.raw = new DynamoDBClient(common);
    this.dynamodb = DynamoDBDocumentClient.from(this.raw, { marshallOptions: { removeUndefinedValues: true } });
    this.table = new DynamoDbImageTable(this.dynamodb, {
      tableName: stack.resources.tableName,
      stateIndexName: stack.resources.stateIndexName,
    });
  }

  get queueUrl(): string {
    return this.stack.env.IMAGES_QUEUE_URL;
  }

  get deadLetterQueueUrl(): string {
    return this.stack.env.IMAGES_DLQ_URL;
  }

  item(id: string): Promise<Image | undefined> {
    return this.table.get(id);
  }

  async object(key: string): Promise<Buffer | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.stack.resources.bucketName, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (err) {
      if (err instanceof NoSuchKey) return undefined;
      throw err;
    }
  }

  async putObject(key: string, body: Buffer, contentType = 'image/jpeg'): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.stack.resources.bucketName, Key: key, Body: body, ContentType: contentType }));
  }

  async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.stack.resources.bucketName, Prefix: prefix, ContinuationToken: token }),
      );
      keys.push(...(out.Contents ?? []).map((o) => o.Key!));
      token = out.NextContinuationToken;
    } while (token);
    return keys;
  }

  async send(body: string, queueUrl = this.queueUrl): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  }

  async depth(queueUrl = this.queueUrl): Promise<QueueDepth> {
    const out = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? NaN),
      inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? NaN),
    };
  }

  /** True when the queue holds no message at all, visible or in flight. */
  async isEmpty(queueUrl = this.queueUrl): Promise<boolean> {
    const { visible, inFlight } = await this.depth(queueUrl);
    return visible === 0 && inFlight === 0;
  }

  /** Reads (and hides for a while) up to 10 messages of the dead-letter queue. */
  async deadLetters(): Promise<{ body: string; receiveCount: number }[]> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.deadLetterQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    return (out.Messages ?? []).map((m) => ({ body: m.Body ?? '', receiveCount: Number(m.Attributes?.ApproximateReceiveCount) }));
  }

  destroy(): void {
    [this.s3, this.sqs, this.dynamodb, this.raw].forEach((c) => c.destroy());
  }
}
