import { AwsClientOptions, AwsClients, createAwsClients } from './aws-clients';
import { AwsResourcesEnv } from './aws-resources-config';
import { reachabilityChecks } from './aws-reachability';
import { DynamoDbImageTable } from './dynamodb-image-table';
import { S3ObjectStore } from './s3-object-store';
import { SqsImageQueue } from './sqs-image-queue';

export interface PlatformAdapters {
  readonly clients: AwsClients;
  readonly table: DynamoDbImageTable;
  readonly store: S3ObjectStore;
  readonly queue: SqsImageQueue;
  readonly reachability: ReturnType<typeof reachabilityChecks>;
}

/** The one place the apps turn configuration into adapters. */
export function createPlatformAdapters(env: AwsResourcesEnv, options: Omit<AwsClientOptions, 's3ForcePathStyle'> = {}): PlatformAdapters {
  const clients = createAwsClients({ ...options, s3ForcePathStyle: env.S3_FORCE_PATH_STYLE });
  return {
    clients,
    table: new DynamoDbImageTable(clients.dynamodb, { tableName: env.IMAGES_TABLE, stateIndexName: env.IMAGES_TABLE_STATE_INDEX }),
    store: new S3ObjectStore(clients.s3, env.IMAGES_BUCKET),
    queue: new SqsImageQueue(clients.sqs, env.IMAGES_QUEUE_URL),
    reachability: reachabilityChecks(clients, { tableName: env.IMAGES_TABLE, bucket: env.IMAGES_BUCKET, queueUrl: env.IMAGES_QUEUE_URL }),
  };
}
