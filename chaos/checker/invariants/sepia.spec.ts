import sharp from 'sharp';
import { makeJpeg } from '../../../test/harness/test-images';
import type { ObjectReader } from '../object-reader';
import { IDS, cleanRun, finalState, processedItem } from '../test/run-builder';
import { renderSepia } from '../test/sepia-rendering';
import { checkSepia, sepiaSample } from './sepia';

describe('sepia (sampled)', () => {
  const [A, B, C, D] = IDS;
  let original: Buffer;
  let rendering: Buffer;

  beforeAll(async () => {
    original = await makeJpeg(160, 100, { seed: 3 });
    rendering = await renderSepia(original);
  });

  /** Objects by key: every raw object is `original`, processed ones as given (default the rendering). */
  const reader = (processed: Record<string, Buffer> = {}): ObjectReader => async (key) => {
    if (key.startsWith('upload/')) return original;
    const id = Object.keys(processed).find((i) => key.includes(i));
    return id ? processed[id] : rendering;
  };

  it('passes real sepia renderings', async () => {
    const { state } = cleanRun();
    expect(await checkSepia(state, { sample: 10, seed: 1, readObject: reader() })).toEqual([]);
  });

  it('flags a processed object that is a copy of the original, one that is a greyscale, and one that is not an image', async () => {
    const { state } = cleanRun();
    const grey = await sharp(original).greyscale().jpeg().toBuffer();
    const violations = await checkSepia(state, { sample: 10, seed: 1, readObject: reader({ [A]: original, [B]: grey, [C]: Buffer.from('nope') }) });
    expect(violations).toEqual([
      { invariant: 'sepia', ids: [A], message: expect.stringContaining(`processed/${A}.jpg is not a sepia rendering of upload/${A}/`) },
      { invariant: 'sepia', ids: [B], message: expect.stringContaining('is not a sepia rendering') },
      { invariant: 'sepia', ids: [C], message: expect.stringContaining('is not a decodable image') },
    ]);
  });

  it('flags an object it cannot read', async () => {
    const { state } = cleanRun([D]);
    const failing: ObjectReader = async () => {
      throw new Error('NoSuchKey');
    };
    expect(await checkSepia(state, { sample: 1, seed: 1, readObject: failing })).toEqual([
      { invariant: 'sepia', ids: [D], message: expect.stringContaining('NoSuchKey') },
    ]);
  });

  it('samples a seeded subset of the processed items with both objects present', () => {
    const items = IDS.map((id) => processedItem(id));
    const state = finalState([...items, { id: 'uploaded-one', state: 'uploaded', version: 1 }]);
    const pick = (seed: number) => sepiaSample(state, 2, seed).map((i) => i.id);
    expect(pick(7)).toEqual(pick(7));
    expect(pick(7)).toHaveLength(2);
    expect(new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => pick(s).join()))).not.toEqual(new Set([pick(1).join()]));
    expect(sepiaSample(state, 100, 1).map((i) => i.id).sort()).toEqual([...IDS].sort());
    const noProcessedObject = finalState(items, items.map((i) => ({ key: i.rawS3Key!, size: 1 })));
    expect(sepiaSample(noProcessedObject, 10, 1)).toEqual([]);
  });
});
