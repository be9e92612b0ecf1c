import { sharedReader } from './object-reader';

describe('sharedReader: each object fetched once, however many invariants read it', () => {
  const counting = () => {
    const calls: string[] = [];
    const read = (key: string) => {
      calls.push(key);
      return key === 'missing' ? Promise.reject(new Error('NoSuchKey')) : Promise.resolve(Buffer.from(key));
    };
    return { calls, read };
  };

  it('reads a key used twice once, hands both readers its bytes, then forgets it', async () => {
    const { calls, read } = counting();
    const shared = sharedReader(read, new Map([['upload/a', 2]]));
    expect((await shared('upload/a')).toString()).toBe('upload/a');
    expect((await shared('upload/a')).toString()).toBe('upload/a');
    expect(calls).toEqual(['upload/a']);
    // Past its expected uses it is read again: nothing is kept beyond the last one.
    await shared('upload/a');
    expect(calls).toEqual(['upload/a', 'upload/a']);
  });

  it('passes keys read once (or not counted) straight through', async () => {
    const { calls, read } = counting();
    const shared = sharedReader(read, new Map([['processed/a.jpg', 1]]));
    await shared('processed/a.jpg');
    await shared('processed/a.jpg');
    await shared('other');
    expect(calls).toEqual(['processed/a.jpg', 'processed/a.jpg', 'other']);
  });

  it('fails every reader of a key whose read failed', async () => {
    const { calls, read } = counting();
    const shared = sharedReader(read, new Map([['missing', 2]]));
    await expect(shared('missing')).rejects.toThrow('NoSuchKey');
    await expect(shared('missing')).rejects.toThrow('NoSuchKey');
    expect(calls).toEqual(['missing']);
  });
});
