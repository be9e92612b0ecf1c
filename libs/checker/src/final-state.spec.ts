import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients, type AwsClients } from '@imagery/aws-adapters';
import { processedKeyOf, rawKeyOf } from '@imagery/domain';
import { deployFreshStack, type TestStack } from '@imagery/testing/platform/local-aws';
import { makeJpeg, sha256Of } from '@imagery/testing/platform/test-images';
import type { HistoryEntry } from '@imagery/history/history-entry';
import { checkHistory } from './check-history';
import { readFinalState, readStoreBaseline } from './final-state';
import type { FinalState } from './stored-state';
import { s3ObjectReader } from './object-reader';
import { runScopeOf } from './run-scope';
import { IDS, T0, completeHistory, journey } from '@imagery/testing/checker/run-builder';
import { renderSepia } from '@imagery/testing/checker/sepia-rendering';

/**
 * readFinalState against the emulator (an isolated stack), then the checker on what it read:
 * a real sepia rendering passes, a copy of the original does not, an orphan processed object and
 * a message left in the queue are found, and peeking the dead-letter queue consumes nothing.
 */
describe('readFinalState + checkHistory against the emulator', () => {
  const [GOOD, COPY] = IDS;
  let stack: TestStack;
  let clients: AwsClients;
  let state: FinalState;
  let history: HistoryEntry[];
  let original: Buffer;
  const orphan = `processed/${GOOD}-1735732800123.jpg`;
  const deadLetter = JSON.stringify({ imageId: COPY });

  const read = () =>
    readFinalState({
      tableName: stack.resources.tableName,
      bucket: stack.resources.bucketName,
      queueUrl: stack.env.IMAGES_QUEUE_URL,
      dlqUrl: stack.env.IMAGES_DLQ_URL,
      clients,
    });

  beforeAll(async () => {
    stack = await deployFreshStack('checker');
    clients = createAwsClients({ s3ForcePathStyle: true });
    original = await makeJpeg(240, 160, { seed: 11 });
    const rendering = await renderSepia(original);
    // both clients uploaded these bytes
    history = completeHistory(
      [...journey(GOOD, T0, 1), ...journey(COPY, T0 + 100, 2)].map((e) => ('sha256' in e ? { ...e, sha256: sha256Of(original) } : e)),
    );
    const put = (key: string, body: Buffer) =>
      clients.s3.send(new PutObjectCommand({ Bucket: stack.resources.bucketName, Key: key, Body: body, ContentType: 'image/jpeg' }));
    const item = (id: string) => ({
      id,
      version: 2,
      state: 'processed',
      rawS3Key: rawKeyOf(id, sha256Of(original)),
      processedS3Key: processedKeyOf(id),
      createdAt: T0,
      updatedAt: T0 + 900,
    });
    for (const [id, processed] of [
      [GOOD, rendering],
      [COPY, original],
    ] as const) {
      const it = item(id);
      await clients.dynamodb.send(new PutCommand({ TableName: stack.resources.tableName, Item: it }));
      await put(it.rawS3Key, original);
      await put(it.processedS3Key, processed);
    }
    await put(orphan, rendering);
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.env.IMAGES_QUEUE_URL, MessageBody: JSON.stringify({ imageId: GOOD }) }),
    );
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: stack.env.IMAGES_DLQ_URL, MessageBody: deadLetter }));
    state = await read();
  });

  afterAll(() => clients?.destroy());

  it('reads the items, the objects with their sizes, and the queues', () => {
    expect(state.items.map((i) => [i.id, i.version, i.state]).sort()).toEqual(
      [
        [GOOD, 2, 'processed'],
        [COPY, 2, 'processed'],
      ].sort(),
    );
    expect(state.objects.map((o) => o.key).sort()).toEqual(
      [orphan, processedKeyOf(GOOD), processedKeyOf(COPY), ...state.items.map((i) => i.rawS3Key!)].sort(),
    );
    expect(state.objects.every((o) => o.size > 0 && typeof o.etag === 'string')).toBe(true);
    expect(state.queue).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(state.deadLetter).toEqual({ visible: 1, inFlight: 0, messages: [deadLetter] });
  });

  it('reads every page (one item / key per page)', async () => {
    const paged = await readFinalState({
      tableName: stack.resources.tableName,
      bucket: stack.resources.bucketName,
      queueUrl: stack.env.IMAGES_QUEUE_URL,
      dlqUrl: stack.env.IMAGES_DLQ_URL,
      clients,
      pageSize: 1,
    });
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect([...paged.items].sort(byId)).toEqual([...state.items].sort(byId));
    expect(paged.objects).toHaveLength(5);
    expect(new Set(paged.objects.map((o) => o.key))).toEqual(new Set(state.objects.map((o) => o.key)));
  });

  it('peeks the dead letters without consuming them', async () => {
    const again = await read();
    expect(again.deadLetter).toEqual({ visible: 1, inFlight: 0, messages: [deadLetter] });
  });

  it('finds the orphan, the leftover messages, and the copy that is not sepia; the real rendering and the raw hashes pass', async () => {
    const readObject = s3ObjectReader(clients.s3, stack.resources.bucketName);
    const result = await checkHistory(history, state, { readObject });
    expect(result.ok).toBe(false);
    expect(result.stats).toMatchObject({ sepiaChecked: 2, rawHashed: 2 });
    expect(result.violations.map((v) => ({ invariant: v.invariant, ids: v.ids, message: v.message }))).toEqual([
      { invariant: 'sepia', ids: [COPY], message: expect.stringContaining('is not a sepia rendering') as unknown },
      {
        invariant: 'nothing-duplicated',
        ids: [GOOD],
        message: `2 processed objects for one image: ${processedKeyOf(GOOD)}, ${orphan}; no fault touched it`,
      },
      { invariant: 'drained', ids: [], message: 'main queue not empty: 1 visible, 0 in flight, 0 delayed' },
      {
        invariant: 'drained',
        ids: [COPY],
        message: expect.stringContaining('dead-letter queue holds 1 message(s) of this run') as unknown,
      },
    ]);
  });

  it('with dead letters allowed and the strays gone, only the sepia copy remains', async () => {
    const cleaned: FinalState = {
      ...state,
      objects: state.objects.filter((o) => o.key !== orphan),
      queue: { visible: 0, inFlight: 0, delayed: 0 },
    };
    const readObject = s3ObjectReader(clients.s3, stack.resources.bucketName);
    const result = await checkHistory(history, cleaned, { allowDeadLetters: true, readObject });
    expect(result.violations.map((v) => [v.invariant, v.ids])).toEqual([['sepia', [COPY]]]);
  });

  it("scoped to a run: an earlier run's dead letter and images are left out, and the run passes", async () => {
    const earlier = '9f9f9f9f-6c1e-4d8b-9a55-1f1d2c3b4a99';
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.env.IMAGES_DLQ_URL, MessageBody: JSON.stringify({ imageId: earlier }) }),
    );
    const onlyGood = completeHistory(journey(GOOD, T0, 1).map((e) => ('sha256' in e ? { ...e, sha256: sha256Of(original) } : e)));
    // the run started after everything above was written (its own objects are found by id)
    const baseline = await readStoreBaseline({ clients, tableName: stack.resources.tableName, bucket: stack.resources.bucketName });
    const scoped = await readFinalState({
      tableName: stack.resources.tableName,
      bucket: stack.resources.bucketName,
      queueUrl: stack.env.IMAGES_QUEUE_URL,
      dlqUrl: stack.env.IMAGES_DLQ_URL,
      clients,
      scope: runScopeOf(onlyGood, baseline),
    });
    expect(scoped.items.map((i) => i.id)).toEqual([GOOD]);
    expect(scoped.objects.map((o) => o.key).sort()).toEqual([orphan, processedKeyOf(GOOD), rawKeyOf(GOOD, sha256Of(original))].sort());
    expect(scoped.deadLetter).toMatchObject({ visible: 2, messages: [], ignored: 2 });
    const result = await checkHistory(
      onlyGood,
      { ...scoped, objects: scoped.objects.filter((o) => o.key !== orphan), queue: { visible: 0, inFlight: 0, delayed: 0 } },
      {
        readObject: s3ObjectReader(clients.s3, stack.resources.bucketName),
      },
    );
    expect(result.violations).toEqual([]);
  });
});

describe('readFinalState: the dead-letter peek', () => {
  it('lists more messages than one receive returns, and leaves them all visible', async () => {
    const stack = await deployFreshStack('checker-dlq');
    const clients = createAwsClients({ s3ForcePathStyle: true });
    try {
      const bodies = Array.from({ length: 23 }, (_, i) => JSON.stringify({ imageId: `poison-${i}` }));
      for (const body of bodies) await clients.sqs.send(new SendMessageCommand({ QueueUrl: stack.env.IMAGES_DLQ_URL, MessageBody: body }));
      const options = {
        tableName: stack.resources.tableName,
        bucket: stack.resources.bucketName,
        queueUrl: stack.env.IMAGES_QUEUE_URL,
        dlqUrl: stack.env.IMAGES_DLQ_URL,
        clients,
      };
      const first = await readFinalState(options);
      expect(first.deadLetter.visible).toBe(23);
      expect([...first.deadLetter.messages].sort()).toEqual([...bodies].sort());
      const second = await readFinalState(options);
      expect(second.deadLetter).toMatchObject({ visible: 23, inFlight: 0 });
      expect(second.deadLetter.messages).toHaveLength(23);
      const capped = await readFinalState({ ...options, maxDeadLetterBodies: 5 });
      expect(capped.deadLetter.messages).toHaveLength(5);
      expect(capped.items).toEqual([]);
      expect(capped.objects).toEqual([]);
    } finally {
      clients.destroy();
    }
  });
});
