import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Image, ImageState, ImageTable, VersionConflictError } from '@imagery/domain';

export interface DynamoDbTableNames {
  readonly tableName: string;
  /** GSI keyed by state (hash) and updatedAt (range), used by the repair sweep. */
  readonly stateIndexName: string;
}

/** The seed's conditional writes: create if absent, transition on version + allowed states. */
export class DynamoDbImageTable implements ImageTable {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly names: DynamoDbTableNames,
  ) {}

  async create(image: Image): Promise<{ image: Image; created: boolean }> {
    try {
      await this.db.send(new PutCommand({ TableName: this.names.tableName, Item: image, ConditionExpression: 'attribute_not_exists(id)' }));
      return { image, created: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const stored = await this.get(image.id);
      // Exists-then-vanished cannot happen (no deletes); fail loudly rather than invent an item.
      if (!stored) throw err;
      return { image: stored, created: false };
    }
  }

  async get(id: string): Promise<Image | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.names.tableName, Key: { id }, ConsistentRead: true }));
    return out.Item as Image | undefined;
  }

  async update(next: Image, expectedVersion: number, fromStates: readonly ImageState[]): Promise<Image> {
    if (fromStates.length === 0) throw new Error('update needs at least one allowed state');
    const { id, ...fields } = next;
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = { ':expected': expectedVersion };
    const sets: string[] = [];
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    fromStates.forEach((s, i) => (values[`:from${i}`] = s));
    const allowed = fromStates.map((_, i) => `:from${i}`).join(', ');
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.names.tableName,
          Key: { id },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `#version = :expected AND #state IN (${allowed})`,
          ExpressionAttributeNames: { ...names, '#version': 'version' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes as Image;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new VersionConflictError(id, expectedVersion);
      throw err;
    }
  }

  async listStale(state: ImageState, updatedBefore: number, limit: number): Promise<Image[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.names.tableName,
        IndexName: this.names.stateIndexName,
        KeyConditionExpression: '#state = :state AND updatedAt < :before',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':state': state, ':before': updatedBefore },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    return (out.Items ?? []) as Image[];
  }
}
