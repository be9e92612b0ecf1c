import { Image, ImageTable, VersionConflictError, processedKeyOf } from '@imagery/domain';
import { anImage, describeImageTableContract } from '@imagery/testing/domain';
import { randomUUID } from 'node:crypto';
import { deployFreshStack } from '@imagery/testing/platform/local-aws';
import { awsResourcesEnvSchema, parseEnv } from './aws-resources-config';
import { PlatformAdapters, createPlatformAdapters } from './platform-adapters';

/** A raw-object key like the API's (upload/<id>/<content sha256>). */
const rawKey = (id: string): string => `upload/${id}/${'ab'.repeat(32)}`;

/**
 * DynamoDbImageTable against moto: every test that counts or lists gets a table of its own.
 * Races between concurrent writers are in dynamodb-image-table.concurrency.spec.ts.
 */

const opened: PlatformAdapters[] = [];
afterAll(() => opened.forEach((a) => a.clients.destroy()));

async function freshTable(): Promise<ImageTable> {
  const stack = await deployFreshStack('ddb-table');
  const adapters = createPlatformAdapters(parseEnv(awsResourcesEnvSchema, stack.env));
  opened.push(adapters);
  return adapters.table;
}

// The port's shared contract (also run against the in-memory fake), on an empty table per test.
describeImageTableContract('DynamoDbImageTable', freshTable);

describe('DynamoDbImageTable', () => {
  let table: ImageTable;
  beforeAll(async () => {
    table = await freshTable();
  });

  const created = (overrides: Partial<Image> = {}): Image => anImage('created', { id: randomUUID(), ...overrides });

  describe('create', () => {
    it('writes only if absent: a second create returns created=false and the stored item unchanged', async () => {
      const first = created({ createdAt: 1_000, updatedAt: 1_000 });
      expect(await table.create(first)).toEqual({ image: first, created: true });

      const second: Image = { ...first, version: 7, state: 'uploaded', rawS3Key: 'x', createdAt: 2_000, updatedAt: 2_000 };
      const again = await table.create(second);
      expect(again).toEqual({ image: first, created: false });
      expect(await table.get(first.id)).toEqual(first);
    });
  });

  describe('get', () => {
    it('reads its own write at once (strongly consistent) and undefined for an unknown id', async () => {
      const image = created();
      await table.create(image);
      expect(await table.get(image.id)).toEqual(image);
      expect(await table.get(randomUUID())).toBeUndefined();
    });
  });

  describe('update', () => {
    it('succeeds with the right version and an allowed state, and returns the whole new item (ALL_NEW)', async () => {
      const image = created({ createdAt: 10, updatedAt: 10 });
      await table.create(image);
      const next: Image = { ...image, state: 'uploaded', version: 1, rawS3Key: rawKey(image.id), updatedAt: 20 };
      const out = await table.update(next, 0, ['created', 'uploaded']);
      // ALL_NEW: attributes not in the SET (id, createdAt) are there too
      expect(out).toEqual(next);
      expect(await table.get(image.id)).toEqual(next);
    });

    it('keeps the types of what it stores (numbers stay numbers)', async () => {
      const image = created();
      await table.create(image);
      const out = await table.update({ ...image, state: 'uploaded', version: 1, updatedAt: image.updatedAt + 1 }, 0, ['created']);
      expect(typeof out.version).toBe('number');
      expect(typeof out.updatedAt).toBe('number');
      expect(typeof out.createdAt).toBe('number');
    });

    it('rejects a wrong expected version with VersionConflictError and writes nothing', async () => {
      const image = created();
      await table.create(image);
      const next: Image = { ...image, state: 'uploaded', version: 2, rawS3Key: 'k', updatedAt: image.updatedAt + 1 };
      const err = await table.update(next, 1, ['created']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VersionConflictError);
      expect(err).toMatchObject({ id: image.id, expectedVersion: 1 });
      expect(await table.get(image.id)).toEqual(image);
    });

    it('rejects a stored state outside fromStates with VersionConflictError and writes nothing', async () => {
      const image = created();
      await table.create(image);
      const next: Image = { ...image, state: 'processed', version: 1, processedS3Key: 'p', updatedAt: image.updatedAt + 1 };
      await expect(table.update(next, 0, ['uploaded', 'processed'])).rejects.toBeInstanceOf(VersionConflictError);
      expect(await table.get(image.id)).toEqual(image);
    });

    it('rejects an update of a missing item with VersionConflictError and does not create it', async () => {
      const next = anImage('uploaded', { id: randomUUID() });
      await expect(table.update(next, 0, ['created'])).rejects.toBeInstanceOf(VersionConflictError);
      await expect(table.update(next, 0, ['created', 'uploaded', 'processed', 'failed'])).rejects.toBeInstanceOf(VersionConflictError);
      expect(await table.get(next.id)).toBeUndefined();
    });
  });

  describe('listStale (through the state/updatedAt GSI)', () => {
    it('returns only images in the state, strictly older than the bound, oldest first, limited', async () => {
      const own = await freshTable();
      const put = async (state: Image['state'], updatedAt: number): Promise<string> => {
        const id = randomUUID();
        await own.create(anImage(state, { id, createdAt: 1, updatedAt }));
        return id;
      };
      // inserted out of order, so the order comes from the index and not from insertion
      const u500 = await put('uploaded', 500);
      const u100 = await put('uploaded', 100);
      const u300 = await put('uploaded', 300);
      await put('uploaded', 1_000); // exactly at the bound: not stale
      await put('uploaded', 2_000); // newer
      await put('processed', 50); // other states, older than everything
      await put('failed', 60);
      await put('created', 70);

      const all = await own.listStale('uploaded', 1_000, 10);
      expect(all.map((i) => i.id)).toEqual([u100, u300, u500]);
      expect(all.map((i) => i.updatedAt)).toEqual([100, 300, 500]);
      all.forEach((i) => expect(i.state).toBe('uploaded'));
      // full items come back (ALL projection), not just keys
      expect(all[0]).toEqual(anImage('uploaded', { id: u100, createdAt: 1, updatedAt: 100 }));

      expect((await own.listStale('uploaded', 1_000, 2)).map((i) => i.id)).toEqual([u100, u300]);
      expect((await own.listStale('uploaded', 1_000, 1)).map((i) => i.id)).toEqual([u100]);
      expect(await own.listStale('uploaded', 100, 10)).toEqual([]);
      expect((await own.listStale('processed', 1_000, 10)).map((i) => i.updatedAt)).toEqual([50]);
      expect(await own.listStale('processed', 50, 10)).toEqual([]);
    });

    it('follows updates: an image leaves the state it moved out of and is listed under its new updatedAt', async () => {
      const own = await freshTable();
      const image = anImage('uploaded', { id: randomUUID(), updatedAt: 100 });
      await own.create(image);
      expect((await own.listStale('uploaded', 1_000, 10)).map((i) => i.id)).toEqual([image.id]);
      const next: Image = { ...image, state: 'processed', version: 2, processedS3Key: processedKeyOf(image.id), updatedAt: 200 };
      await own.update(next, image.version, ['uploaded']);
      expect(await own.listStale('uploaded', 1_000, 10)).toEqual([]);
      expect(await own.listStale('processed', 1_000, 10)).toEqual([next]);
    });
  });
});
