import { InvalidImageIdError } from './errors';
import { assertImageId } from './image-id';
import { thrownBy } from '@imagery/testing/thrown-by';

describe('assertImageId', () => {
  it.each([
    ['v1', 'c232ab00-9414-11ec-b3c8-9f6bdeced846'],
    ['v4', '0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c'],
    ['v7', '018f3e3a-7b2c-7d4e-8f1a-2b3c4d5e6f70'],
    ['v8', '320c3d4d-cc00-875b-8ec9-32d5f69181c0'],
  ])('accepts a %s UUID as is', (_, id) => {
    expect(assertImageId(id)).toBe(id);
  });

  it('accepts upper and mixed case and returns the lower-case id (one image, however it is spelled)', () => {
    expect(assertImageId('0B6F4C1E-8A3D-4C6E-9F2A-1D2E3F4A5B6C')).toBe('0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c');
    expect(assertImageId('0b6F4c1E-8a3D-4C6e-9f2A-1d2E3F4a5B6c')).toBe('0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c');
  });

  it.each([
    ['empty', ''],
    ['not a uuid', 'hello'],
    ['no dashes', '0b6f4c1e8a3d4c6e9f2a1d2e3f4a5b6c'],
    ['braces', '{0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c}'],
    ['too short', '0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6'],
    ['too long', '0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c0'],
    ['non-hex', '0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6g'],
    ['version 0', '0b6f4c1e-8a3d-0c6e-9f2a-1d2e3f4a5b6c'],
    ['version 9', '0b6f4c1e-8a3d-9c6e-9f2a-1d2e3f4a5b6c'],
    ['variant c (Microsoft)', '0b6f4c1e-8a3d-4c6e-cf2a-1d2e3f4a5b6c'],
    ['variant 7 (NCS)', '0b6f4c1e-8a3d-4c6e-7f2a-1d2e3f4a5b6c'],
    ['the nil UUID', '00000000-0000-0000-0000-000000000000'],
    ['leading space', ' 0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c'],
    ['trailing newline', '0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c\n'],
    ['a path', '../0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c'],
    ['two ids', '0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c/0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c'],
  ])('rejects %s with InvalidImageIdError', (_, id) => {
    expect(() => assertImageId(id)).toThrow(InvalidImageIdError);
    expect(thrownBy(() => assertImageId(id))).toMatchObject({ code: 'invalid_image_id', id });
  });

  it('quotes at most 64 characters of a bad id in its message', () => {
    const error = captureError(() => assertImageId('x'.repeat(10_000)));
    expect(error.message).toContain(JSON.stringify('x'.repeat(64)));
    expect(error.message.length).toBeLessThan(120);
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}
