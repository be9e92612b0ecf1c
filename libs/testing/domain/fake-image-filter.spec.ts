import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { InvalidImageError } from '@imagery/domain/errors';
import { FakeImageFilter, sepiaOf } from './fake-image-filter';
import { stagedUpload } from './staged-upload';

describe('FakeImageFilter', () => {
  const filter = new FakeImageFilter();

  it('accepts ordinary bytes, reading the whole upload', async () => {
    expect(await filter.inspect(stagedUpload('IMG-abc'))).toEqual({ format: 'png', width: 7, height: 1 });
  });

  it.each([
    ['not_an_image', 'NOTIMG and text'],
    ['empty', ''],
  ])('rejects with InvalidImageError (%s)', async (reason, bytes) => {
    await expect(filter.inspect(stagedUpload(bytes))).rejects.toMatchObject({ constructor: InvalidImageError, reason });
  });

  it('renders sepia as a marked copy of the bytes', async () => {
    expect(await buffer(filter.sepia(Readable.from([Buffer.from('IMG-abc')])))).toEqual(sepiaOf('IMG-abc'));
  });

  it('accepts undecodable bytes at inspect, then fails inside the sepia stream', async () => {
    await expect(filter.inspect(stagedUpload('BADPIX-x'))).resolves.toBeDefined();
    await expect(buffer(filter.sepia(Readable.from([Buffer.from('BADPIX-x')])))).rejects.toMatchObject({
      constructor: InvalidImageError,
      reason: 'undecodable',
    });
  });

  it('a staged upload opens a fresh stream each time', async () => {
    const upload = stagedUpload('abc');
    expect(await buffer(upload.open())).toEqual(await buffer(upload.open()));
    expect(upload.size).toBe(3);
  });
});
