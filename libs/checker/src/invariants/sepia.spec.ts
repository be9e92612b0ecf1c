import sharp from 'sharp';
import { makeJpeg } from '@imagery/testing/platform/test-images';
import type { ObjectReader } from '../object-reader';
import { IDS, cleanRun, fakeObjects, finalState, processedItem } from '@imagery/testing/checker/run-builder';
import { renderSepia } from '@imagery/testing/checker/sepia-rendering';
import { sepia, sepiaTargets } from './sepia';

describe('sepia (every processed object, by default)', () => {
  const [A, B, C, D] = IDS;
  let original: Buffer;
  let rendering: Buffer;

  beforeAll(async () => {
    original = await makeJpeg(160, 100, { seed: 3 });
    rendering = await renderSepia(original);
  });

  /** Objects by key: every raw object is `original`, processed ones as given (default the real rendering). */
  const reader =
    (processed: Record<string, Buffer> = {}): ObjectReader =>
    (key) => {
      if (key.startsWith('upload/')) return Promise.resolve(original);
      const id = Object.keys(processed).find((i) => key.includes(i));
      return Promise.resolve(id ? processed[id] : rendering);
    };

  it('passes real sepia renderings, comparing every one of them', async () => {
    const { history, state } = cleanRun();
    const readObject = jest.fn(reader());
    expect(await sepia({ history, state, options: { readObject } })).toEqual([]);
    expect(readObject).toHaveBeenCalledTimes(2 * IDS.length);
  });

  it('flags a copy of the original, a greyscale, and bytes that are not an image', async () => {
    const { history, state } = cleanRun();
    const grey = await sharp(original).greyscale().jpeg().toBuffer();
    const violations = await sepia({
      history,
      state,
      options: { readObject: reader({ [A]: original, [B]: grey, [C]: Buffer.from('nope') }) },
    });
    expect(violations).toEqual([
      {
        invariant: 'sepia',
        ids: [A],
        message: expect.stringContaining(`processed/${A}.jpg is not a sepia rendering of upload/${A}/`) as unknown,
      },
      { invariant: 'sepia', ids: [B], message: expect.stringContaining('is not a sepia rendering') as unknown },
      { invariant: 'sepia', ids: [C], message: expect.stringContaining('not a decodable image') as unknown },
    ]);
  });

  it('false PASS fixed: one bad rendering among many is found, not sampled away', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `${String(i).padStart(8, '0')}-6c1e-4d8b-9a55-1f1d2c3b4a01`);
    const state = finalState(ids.map((id) => processedItem(id)));
    const bad = ids[37];
    const violations = await sepia({
      history: [],
      state,
      options: { ...fakeObjects({ [`processed/${bad}.jpg`]: Buffer.from('a copy') }) },
    });
    expect(violations.map((v) => v.ids)).toEqual([[bad]]);
  });

  it('flags an object it cannot read', async () => {
    const { history, state } = cleanRun([D]);
    const readObject: ObjectReader = async () => Promise.reject(new Error('NoSuchKey'));
    expect(await sepia({ history, state, options: { readObject } })).toEqual([
      { invariant: 'sepia', ids: [D], message: expect.stringContaining('NoSuchKey') as unknown },
    ]);
  });

  it('samples only when asked: a seeded subset of the processed items with both objects present', () => {
    const items = IDS.map((id) => processedItem(id));
    const state = finalState([...items, { id: 'uploaded-one', state: 'uploaded', version: 1 }]);
    expect(sepiaTargets(state, {}).map((i) => i.id)).toEqual([...IDS].sort());
    const pick = (seed: number) => sepiaTargets(state, { sepiaSample: { size: 2, seed } }).map((i) => i.id);
    expect(pick(7)).toEqual(pick(7));
    expect(pick(7)).toHaveLength(2);
    expect(new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => pick(s).join())).size).toBeGreaterThan(1);
    const noProcessedObject = finalState(
      items,
      items.map((i) => ({ key: i.rawS3Key!, size: 1 })),
    );
    expect(sepiaTargets(noProcessedObject, {})).toEqual([]);
  });
});
