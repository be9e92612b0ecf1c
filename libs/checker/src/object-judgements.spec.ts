import { IDS, cleanRun, fakeObjects, shaOf, storedBytes } from '@imagery/testing/checker/run-builder';
import { isFakeSepiaOf } from '@imagery/testing/domain';
import { checkHistory } from './check-history';
import { ObjectJudgements } from './object-judgements';
import type { ObjectContentReader } from './object-reader';
import { prejudgeImage } from './prejudge-objects';
import type { FinalState } from './stored-state';

/** Every object of `state` read from storedBytes(overrides), with `etagOf(key)` as the ETag read with it. */
const contentReader =
  (etagOf: (key: string) => string | undefined, overrides: Record<string, Buffer> = {}): ObjectContentReader =>
  async (key) => {
    const etag = etagOf(key);
    return { bytes: await storedBytes(overrides)(key), ...(etag ? { etag } : {}) };
  };

/** The ETags the final listing shows (run-builder's objects). */
const listedEtag = (state: FinalState) => (key: string) => state.objects.find((o) => o.key === key)?.etag;

async function prejudgeAll(state: FinalState, read: ObjectContentReader): Promise<ObjectJudgements> {
  const judgements = new ObjectJudgements();
  for (const item of state.items) await prejudgeImage(item, read, judgements, isFakeSepiaOf);
  return judgements;
}

describe('objects judged while the load ran', () => {
  const [A, B] = IDS;

  it('are not read again when listed with the ETags they were judged under: every invariant still holds', async () => {
    const { history, state } = cleanRun();
    const judgements = await prejudgeAll(state, contentReader(listedEtag(state)));
    expect(judgements.size).toEqual({ digests: IDS.length, sepias: IDS.length });
    const readObject = jest.fn(storedBytes());
    const result = await checkHistory(history, state, { ...fakeObjects(), readObject, judgements });
    expect(result.violations).toEqual([]);
    expect(readObject).not.toHaveBeenCalled();
    expect(result.stats).toMatchObject({ rawHashed: IDS.length, sepiaChecked: IDS.length });
  });

  it('false PASS guarded: bytes rewritten since (another ETag) are read again and their violations found', async () => {
    const { history, state } = cleanRun([A, B]);
    // Judged while the objects were good, under ETags the final listing no longer shows.
    const judgements = await prejudgeAll(
      state,
      contentReader(() => '"earlier"'),
    );
    const rawA = state.items[0].rawS3Key!;
    const processedB = state.items[1].processedS3Key!;
    const overrides = { [rawA]: Buffer.from('other bytes'), [processedB]: Buffer.from('a copy') };
    const result = await checkHistory(history, state, { ...fakeObjects(overrides), judgements });
    expect(result.violations.map((v) => [v.invariant, v.ids])).toEqual(
      expect.arrayContaining([
        ['raw-matches-key', [A]],
        ['sepia', [B]],
      ]),
    );
  });

  it('reports a judgement that found no sepia rendering, without reading the objects again', async () => {
    const { history, state } = cleanRun([A, B]);
    const processedB = state.items[1].processedS3Key!;
    const judgements = await prejudgeAll(state, contentReader(listedEtag(state), { [processedB]: Buffer.from('a copy') }));
    const readObject = jest.fn(storedBytes());
    const result = await checkHistory(history, state, { ...fakeObjects(), readObject, judgements });
    expect(result.violations.map((v) => [v.invariant, v.ids])).toEqual([['sepia', [B]]]);
    expect(result.violations[0].message).toContain(`${processedB} is not a sepia rendering of`);
    expect(readObject).not.toHaveBeenCalled();
  });

  it('records the raw digest of the bytes read, and nothing for an object read without an ETag or not read at all', async () => {
    const { state } = cleanRun([A, B]);
    const judgements = new ObjectJudgements();
    const [itemA, itemB] = state.items;
    expect(
      await prejudgeImage(
        itemA,
        contentReader(() => undefined),
        judgements,
        isFakeSepiaOf,
      ),
    ).toBe(false);
    const failing: ObjectContentReader = () => Promise.reject(new Error('NoSuchKey'));
    expect(await prejudgeImage(itemB, failing, judgements, isFakeSepiaOf)).toBe(false);
    expect(judgements.size).toEqual({ digests: 0, sepias: 0 });
    expect(await prejudgeImage(itemA, contentReader(listedEtag(state)), judgements, isFakeSepiaOf)).toBe(true);
    const rawA = state.objects.find((o) => o.key === itemA.rawS3Key);
    expect(judgements.digestOf(rawA)).toEqual({ sha256: shaOf(A), size: expect.any(Number) as unknown });
    expect(judgements.digestOf(rawA && { ...rawA, etag: undefined })).toBeUndefined();
  });

  it('judges only processed images', async () => {
    const { state } = cleanRun([A]);
    const read = jest.fn(contentReader(listedEtag(state)));
    expect(await prejudgeImage({ ...state.items[0], state: 'uploaded' }, read, new ObjectJudgements(), isFakeSepiaOf)).toBe(false);
    expect(read).not.toHaveBeenCalled();
  });
});
