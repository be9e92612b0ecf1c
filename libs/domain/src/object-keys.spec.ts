import { PROCESSED_PREFIX, RAW_PREFIX, processedKeyOf, rawKeyOf } from './object-keys';

const ID = '0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c';
const HASH = 'ab'.repeat(32);

describe('object keys', () => {
  it('are deterministic: a retry writes the same key', () => {
    expect(rawKeyOf(ID, HASH)).toBe(rawKeyOf(ID, HASH));
    expect(rawKeyOf(ID, 'cd'.repeat(32))).not.toBe(rawKeyOf(ID, HASH)); // other content, other key
    expect(processedKeyOf(ID)).toBe(processedKeyOf(ID));
  });

  it('put raw uploads and renderings under their own prefixes', () => {
    expect(rawKeyOf(ID, HASH)).toBe(`upload/${ID}/${HASH}`);
    expect(processedKeyOf(ID)).toBe(`processed/${ID}.jpg`);
    expect(rawKeyOf(ID, HASH).startsWith(RAW_PREFIX)).toBe(true);
    expect(processedKeyOf(ID).startsWith(PROCESSED_PREFIX)).toBe(true);
    expect(rawKeyOf(ID, HASH).startsWith(PROCESSED_PREFIX)).toBe(false);
  });
});
