import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AwsResourcesEnv, DynamoDbImageTable, DynamoDbTableNames, PlatformAdapters } from '@imagery/aws-adapters';
import { Image, ImageState } from '@imagery/domain';

/**
 * DELIBERATELY BROKEN: every write is a blind PutItem — no attribute_not_exists on create, no
 * version/state condition on updates — so retries and races overwrite each other.
 */
export class NaiveImageTable extends DynamoDbImageTable {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableNames: DynamoDbTableNames) {
    super(client, tableNames);
  }

  override async create(image: Image): Promise<{ image: Image; created: boolean }> {
    await this.client.send(new PutCommand({ TableName: this.tableNames.tableName, Item: image }));
    return { image, created: true };
  }

  /** The seed's UpdateItem, minus its ConditionExpression. */
  override async update(next: Image, _expectedVersion: number, _fromStates: readonly ImageState[]): Promise<Image> {
    const { id, ...fields } = next;
    const set = Object.entries(fields).filter(([, v]) => v !== undefined);
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableNames.tableName,
        Key: { id },
        UpdateExpression: `SET ${set.map(([k]) => `#${k} = :${k}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(set.map(([k]) => [`#${k}`, k])),
        ExpressionAttributeValues: Object.fromEntries(set.map(([k, v]) => [`:${k}`, v])),
      }),
    );
    return next;
  }
}

/** The naive table over the same client and table as the real adapters. */
export function naiveTable(adapters: PlatformAdapters, env: AwsResourcesEnv): NaiveImageTable {
  return new NaiveImageTable(adapters.clients.dynamodb, { tableName: env.IMAGES_TABLE, stateIndexName: env.IMAGES_TABLE_STATE_INDEX });
}
