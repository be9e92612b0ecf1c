import { rawKeyOf } from '@imagery/domain';
import {
  IDS,
  cleanRun,
  fakeObjects,
  finalState,
  objectsOf,
  processedItem,
  rawBytesOf,
  shaOf,
  storedBytes,
} from '@imagery/testing/checker/run-builder';
import { rawMatchesKey } from './raw-matches-key';

describe('raw-matches-key', () => {
  const [A, B] = IDS;

  it('passes a clean run, hashing every raw object', async () => {
    const { history, state } = cleanRun();
    const read = jest.fn(storedBytes());
    expect(await rawMatchesKey({ history, state, options: { readObject: read } })).toEqual([]);
    expect(read.mock.calls.map(([key]) => key).sort()).toEqual(state.items.map((i) => i.rawS3Key).sort());
  });

  it('flags a raw object whose bytes do not hash to the SHA-256 in its key', async () => {
    const { history, state } = cleanRun([A, B]);
    const key = rawKeyOf(B, shaOf(B));
    const violations = await rawMatchesKey({ history, state, options: fakeObjects({ [key]: Buffer.from('other bytes') }) });
    expect(violations).toEqual([
      {
        invariant: 'raw-matches-key',
        ids: [B],
        message: expect.stringMatching(
          new RegExp(`^raw object ${key} holds other bytes than its key names \\(SHA-256 [0-9a-f]{12}…, 11 bytes\\)$`),
        ) as unknown,
      },
    ]);
  });

  it('flags a rawS3Key naming bytes no client uploaded for the id', async () => {
    const { history } = cleanRun([A]);
    const other = processedItem(A, { rawS3Key: rawKeyOf(A, shaOf(B)) });
    const violations = await rawMatchesKey({ history, state: finalState([other]), options: {} });
    expect(violations.map((v) => v.message)).toEqual([
      expect.stringContaining(`rawS3Key ${other.rawS3Key} names bytes no client uploaded for it`),
    ]);
  });

  it('flags a raw object it cannot read', async () => {
    const { history, state } = cleanRun([A]);
    const options = { readObject: async () => Promise.reject(new Error('NoSuchKey')) };
    expect((await rawMatchesKey({ history, state, options })).map((v) => v.message)).toEqual([
      expect.stringContaining('could not be read: NoSuchKey'),
    ]);
  });

  it('judges a key that names no hash (timestamped) by what the client uploaded', async () => {
    const item = processedItem(A, { rawS3Key: `upload/${A}-1735732800123` });
    const judge = (bytes: Buffer) =>
      rawMatchesKey({
        history: cleanRun([A]).history,
        state: finalState([item], objectsOf(item)),
        options: fakeObjects({ [item.rawS3Key!]: bytes }),
      });
    expect((await judge(rawBytesOf(B))).map((v) => [v.ids, v.message])).toEqual([
      [[A], expect.stringContaining(`bytes no client uploaded for ${A}`)],
    ]);
    expect(await judge(rawBytesOf(A))).toEqual([]);
  });
});
