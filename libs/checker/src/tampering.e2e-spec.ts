import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients, type AwsClients } from '@imagery/aws-adapters';
import { processedKeyOf, rawKeyOf } from '@imagery/domain';
import { deployFreshStack, type TestStack } from '@imagery/testing/platform/local-aws';
import { makeJpeg, sha256Of } from '@imagery/testing/platform/test-images';
import { checkHistory } from './check-history';
import { readFinalState, readStoreBaseline } from './final-state';
import type { StoredItem } from './stored-state';
import { s3ObjectReader } from './object-reader';
import { runScopeOf } from './run-scope';
import type { StoreBaseline } from './store-baseline';
import { IDS, T0, completeHistory, journey } from '@imagery/testing/checker/run-builder';
import { renderSepia } from '@imagery/testing/checker/sepia-rendering';

/**
 * A third party (or a build's bug touching the wrong id) changes an EARLIER run's images while a
 * run goes on, in the emulator: each change is judged because it changed, although nothing in the
 * run's history names the image and the items keep their old timestamps. Each tampering is undone
 * before the next. The untouched platform, and another actor finishing an earlier image, pass.
 */
describe('tampering with earlier images during a run (the scope follows what changed)', () => {
  const [A, B, C, D] = IDS;
  const E = '5e5e5e5e-6c1e-4d8b-9a55-1f1d2c3b4a05';
  const LONG_AGO = T0 - 86_400_000;
  let stack: TestStack;
  let clients: AwsClients;
  let original: Buffer;
  let rendering: Buffer;
  let baseline: StoreBaseline;
  const history = () => completeHistory(journey(D).map((e) => ('sha256' in e ? { ...e, sha256: sha256Of(original) } : e)));
  const table = () => stack.resources.tableName;
  const bucket = () => stack.resources.bucketName;

  const itemOf = (id: string, fields: Partial<StoredItem> = {}) => ({
    id,
    version: 2,
    state: 'processed',
    rawS3Key: rawKeyOf(id, sha256Of(original)),
    processedS3Key: processedKeyOf(id),
    createdAt: LONG_AGO,
    updatedAt: LONG_AGO,
    ...fields,
  });
  const putItem = (item: Record<string, unknown>) => clients.dynamodb.send(new PutCommand({ TableName: table(), Item: item }));
  const putObject = (key: string, body: Buffer) => clients.s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body }));
  const deleteObject = (key: string) => clients.s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
  const processedImage = async (id: string) => {
    await putItem(itemOf(id));
    await putObject(rawKeyOf(id, sha256Of(original)), original);
    await putObject(processedKeyOf(id), rendering);
  };

  /** What the checker says of the run: [invariant, ids] of each violation. */
  async function verdict(): Promise<[string, readonly string[]][]> {
    const state = await readFinalState({
      tableName: table(),
      bucket: bucket(),
      queueUrl: stack.env.IMAGES_QUEUE_URL,
      dlqUrl: stack.env.IMAGES_DLQ_URL,
      clients,
      scope: runScopeOf(history(), baseline),
    });
    const result = await checkHistory(history(), state, { readObject: s3ObjectReader(clients.s3, bucket()) });
    return result.violations.map((v) => [v.invariant, v.ids]);
  }

  beforeAll(async () => {
    stack = await deployFreshStack('tampering');
    clients = createAwsClients({ s3ForcePathStyle: true });
    original = await makeJpeg(160, 120, { seed: 5 });
    rendering = await renderSepia(original);
    // An earlier run's images (one fixture for all: same bytes, same rendering) and one still waiting.
    for (const id of [A, B, C]) await processedImage(id);
    await putItem(itemOf(E, { version: 1, state: 'uploaded', processedS3Key: undefined }));
    await putObject(rawKeyOf(E, sha256Of(original)), original);
    baseline = await readStoreBaseline({ clients, tableName: table(), bucket: bucket() });
    // This run: D, clean; and the repair sweep finishing E (another actor: not an error by itself).
    await processedImage(D);
    await putItem(itemOf(E, { version: 2 }));
    await putObject(processedKeyOf(E), rendering);
  });

  afterAll(() => clients?.destroy());

  it('passes the run as it is', async () => {
    expect(await verdict()).toEqual([]);
  });

  it.each([
    {
      what: 'an earlier processed object overwritten with the original (not sepia)',
      tamper: () => putObject(processedKeyOf(A), original),
      undo: () => putObject(processedKeyOf(A), rendering),
      expected: [['sepia', [A]]],
    },
    {
      what: 'an earlier processed object deleted',
      tamper: () => deleteObject(processedKeyOf(B)),
      undo: () => putObject(processedKeyOf(B), rendering),
      expected: [['objects-exist', [B]]],
    },
    {
      what: "an earlier item pointed at another image's same-fixture output (version bumped, old timestamps)",
      tamper: () => putItem(itemOf(C, { version: 3, processedS3Key: processedKeyOf(A) })),
      undo: () => putItem(itemOf(C)),
      expected: [
        ['objects-owned', [C]],
        ['objects-owned', [A, C]],
        ['nothing-duplicated', [C]],
      ],
    },
    {
      what: 'an earlier item rolled back to an older version',
      tamper: () => putItem(itemOf(A, { version: 1 })),
      undo: () => putItem(itemOf(A)),
      expected: [['monotonic', [A]]],
    },
    {
      what: 'an earlier item moved back to `uploaded` without a version bump',
      tamper: () => putItem(itemOf(B, { state: 'uploaded', processedS3Key: undefined })),
      undo: () => putItem(itemOf(B)),
      expected: [
        ['every-image-ends', [B]],
        ['nothing-duplicated', [B]],
        ['monotonic', [B]],
      ],
    },
    {
      what: 'an earlier item deleted',
      tamper: () => clients.dynamodb.send(new DeleteCommand({ TableName: table(), Key: { id: C } })),
      undo: () => putItem(itemOf(C)),
      expected: [
        ['every-image-ends', [C]],
        ['nothing-duplicated', [C]],
        ['nothing-duplicated', [C]],
      ],
    },
    {
      what: 'an object outside the image prefixes',
      tamper: () => putObject('tmp/left-behind', original),
      undo: () => deleteObject('tmp/left-behind'),
      expected: [['nothing-duplicated', []]],
    },
  ])('catches $what', async ({ tamper, undo, expected }) => {
    await tamper();
    try {
      expect((await verdict()).sort()).toEqual([...expected].sort());
    } finally {
      await undo();
    }
    expect(await verdict()).toEqual([]);
  });
});
