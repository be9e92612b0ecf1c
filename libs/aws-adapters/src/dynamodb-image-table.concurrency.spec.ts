import {
  AlreadyUploadedError,
  Image,
  ImageTable,
  TransitionNotAllowedError,
  VersionConflictError,
  processedKeyOf,
  systemClock,
  transitionImage,
} from '@imagery/domain';
import { anImage } from '@imagery/testing/domain';
import { randomUUID } from 'node:crypto';
import { deployFreshStack } from '@imagery/testing/platform/local-aws';
import { awsResourcesEnvSchema, parseEnv } from './aws-resources-config';
import { PlatformAdapters, createPlatformAdapters } from './platform-adapters';

/** A raw-object key like the API's (upload/<id>/<content sha256>). */
const rawKey = (id: string): string => `upload/${id}/${'ab'.repeat(32)}`;

/**
 * DynamoDbImageTable's conditional writes under real concurrency (parallel HTTP requests to moto),
 * on a table of its own.
 *
 * No retries: moto alone does not serialise writes to an item (its threaded server checks a
 * ConditionExpression, then writes, without a lock), so about one 10-way race in a hundred let two
 * writers pass the same condition. The platform runs moto through platform/local/emulator/atomic_moto_server.py,
 * which makes each item operation atomic as DynamoDB's are; these races must now be clean every time.
 */

describe('DynamoDbImageTable under concurrency', () => {
  let adapters: PlatformAdapters;
  let table: ImageTable;
  beforeAll(async () => {
    const stack = await deployFreshStack('ddb-race');
    adapters = createPlatformAdapters(parseEnv(awsResourcesEnvSchema, stack.env));
    table = adapters.table;
  });
  afterAll(() => adapters.clients.destroy());

  const created = (overrides: Partial<Image> = {}): Image => anImage('created', { id: randomUUID(), ...overrides });

  it('creates exactly once when ten creates of one id race', async () => {
    const id = randomUUID();
    const candidates = Array.from({ length: 10 }, (_, i) => created({ id, createdAt: i, updatedAt: i }));
    const results = await Promise.all(candidates.map((c) => table.create(c)));
    const winners = results.filter((r) => r.created);
    expect(winners).toHaveLength(1);
    const stored = await table.get(id);
    expect(stored).toEqual(winners[0].image);
    // every loser is told what is actually stored
    results.forEach((r) => expect(r.image).toEqual(stored));
  });

  it('lets exactly one of ten concurrent updates from the same version win', async () => {
    const image = created();
    await table.create(image);
    const attempts = Array.from({ length: 10 }, (_, i): Image => ({
      ...image,
      state: 'uploaded',
      version: 1,
      rawS3Key: `writer-${i}`,
      updatedAt: image.updatedAt + 1 + i,
    }));
    const results = await Promise.allSettled(attempts.map((next) => table.update(next, 0, ['created'])));
    const won = results.filter((r): r is PromiseFulfilledResult<Image> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    lost.forEach((r) => expect(r.reason).toBeInstanceOf(VersionConflictError));
    // what is stored is exactly the winner's item
    expect(await table.get(image.id)).toEqual(won[0].value);
    expect(attempts).toContainEqual(won[0].value);
  });

  it('transitionImage ends consistent: one write per state change, duplicates absorbed, conflicting targets refused', async () => {
    const image = created();
    await table.create(image);
    const id = image.id;
    const raw = rawKey(id);

    // Ten duplicate "uploaded" transitions (e.g. retried requests): all see the same single write.
    const uploads = await Promise.all(
      Array.from({ length: 10 }, () => transitionImage(table, systemClock, id, { to: 'uploaded', rawS3Key: raw })),
    );
    const afterUpload = await table.get(id);
    expect(afterUpload).toMatchObject({ state: 'uploaded', version: 1, rawS3Key: raw });
    uploads.forEach((u) => expect(u).toEqual(afterUpload));

    // Five "processed" racing five "failed": one side wins, its duplicates succeed, the other side is refused.
    const race = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        transitionImage(
          table,
          systemClock,
          id,
          i % 2 === 0 ? { to: 'processed', processedS3Key: processedKeyOf(id) } : { to: 'failed', reason: 'undecodable' },
        ),
      ),
    );
    const final = await table.get(id);
    expect(final).toBeDefined();
    expect(['processed', 'failed']).toContain(final!.state);
    expect(final!.version).toBe(2);
    expect(final!.rawS3Key).toBe(raw);
    if (final!.state === 'processed') {
      expect(final).toMatchObject({ processedS3Key: processedKeyOf(id) });
      expect(final!.failureReason).toBeUndefined();
    } else {
      expect(final).toMatchObject({ failureReason: 'undecodable' });
      expect(final!.processedS3Key).toBeUndefined();
    }
    race.forEach((r, i) => {
      const wantsWinner = (i % 2 === 0 ? 'processed' : 'failed') === final!.state;
      if (wantsWinner) {
        expect(r).toEqual({ status: 'fulfilled', value: final });
      } else {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(TransitionNotAllowedError);
      }
    });
  });

  it('transitionImage lets one of two different uploads win; the other content is refused, not swapped in', async () => {
    const image = created();
    await table.create(image);
    const keys = [`upload/${image.id}/${'a'.repeat(64)}`, `upload/${image.id}/${'b'.repeat(64)}`];
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => transitionImage(table, systemClock, image.id, { to: 'uploaded', rawS3Key: keys[i % 2] })),
    );
    const final = await table.get(image.id);
    expect(final).toMatchObject({ state: 'uploaded', version: 1 });
    expect(keys).toContain(final!.rawS3Key);
    results.forEach((r, i) => {
      if (keys[i % 2] === final!.rawS3Key) expect(r).toEqual({ status: 'fulfilled', value: final });
      else expect((r as PromiseRejectedResult).reason).toBeInstanceOf(AlreadyUploadedError);
    });
  });
});
