import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients, type AwsClients } from '@imagery/aws-adapters';
import { readFinalState, readStoreBaseline } from '@imagery/checker/final-state';
import { deployFreshStack, type TestStack } from '@imagery/testing/platform/local-aws';
import { type StoreResources, emptyStore, whatIsLeft } from './empty-store';

/**
 * Between two builds of the mutation matrix, on one platform: what the earlier build left (more
 * items than one delete batch, an image stuck in `uploaded` that a repair sweep would pick up, an
 * object, a visible and an in-flight message, a dead letter) is gone before the next build starts,
 * so none of it can be acted on or judged in the next build's runs.
 */
describe('emptyStore: nothing of an earlier build is left for the next one', () => {
  let stack: TestStack;
  let clients: AwsClients;
  let store: StoreResources;

  beforeAll(async () => {
    stack = await deployFreshStack('empty-store');
    clients = createAwsClients({ s3ForcePathStyle: true });
    store = {
      tableName: stack.resources.tableName,
      bucket: stack.resources.bucketName,
      queueUrl: stack.env.IMAGES_QUEUE_URL,
      dlqUrl: stack.env.IMAGES_DLQ_URL,
    };
  });
  afterAll(() => clients.destroy());

  /** What an earlier build leaves behind: every kind of state a run is judged on. */
  async function leaveState(): Promise<void> {
    const ids = Array.from({ length: 60 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    await Promise.all(
      ids.map((id, i) =>
        clients.dynamodb.send(
          new PutCommand({ TableName: store.tableName, Item: { id, version: 1, state: i === 0 ? 'uploaded' : 'processed', updatedAt: 1 } }),
        ),
      ),
    );
    await clients.s3.send(new PutObjectCommand({ Bucket: store.bucket, Key: `upload/${ids[0]}/abc`, Body: 'x' }));
    const send = (queueUrl: string, id: string) =>
      clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ imageId: id }) }));
    await send(store.queueUrl, ids[1]);
    await send(store.queueUrl, ids[2]);
    // In flight: received by a worker of the earlier build (killed since), never deleted.
    await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: store.queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 2 }));
    await send(store.dlqUrl, ids[3]);
  }

  it('says what the store holds, part by part', async () => {
    await leaveState();
    const left = await whatIsLeft(clients, store);
    expect(left).toEqual([
      `60 item(s) in ${store.tableName}`,
      `object(s) in ${store.bucket}`,
      `2 message(s) in ${store.queueUrl}`,
      `1 message(s) in ${store.dlqUrl}`,
    ]);
  });

  it('empties it: no item, object or message (in flight or dead) is left, as the checker reads the store', async () => {
    await leaveState();
    await emptyStore(clients, store);
    // Twice within a minute, as between two short builds (SQS would refuse a second PurgeQueue).
    await leaveState();
    await emptyStore(clients, store);
    expect(await whatIsLeft(clients, store)).toEqual([]);
    const baseline = await readStoreBaseline({ clients, tableName: store.tableName, bucket: store.bucket });
    expect(baseline.items.size + baseline.objects.size).toBe(0);
    const state = await readFinalState({
      clients,
      tableName: store.tableName,
      bucket: store.bucket,
      queueUrl: store.queueUrl,
      dlqUrl: store.dlqUrl,
    });
    expect(state.items).toEqual([]);
    expect(state.objects).toEqual([]);
    expect(state.deadLetter.messages).toEqual([]);
    expect(state.queue).toMatchObject({ visible: 0, inFlight: 0 });
  }, 30_000);

  it('says what is left when a message stays in flight past the time allowed', async () => {
    const id = '00000000-0000-4000-8000-00000000ffff';
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: store.queueUrl, MessageBody: JSON.stringify({ imageId: id }) }));
    await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: store.queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 30 }));
    await expect(emptyStore(clients, store, 500)).rejects.toThrow(
      `the store is not empty after emptying it: 1 message(s) in ${store.queueUrl}`,
    );
  });
});
