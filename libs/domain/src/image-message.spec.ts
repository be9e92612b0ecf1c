import { Image } from './image';
import { PoisonMessageError, itemToStartFrom, parseImageMessage } from './image-message';

const ID = '0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c';

describe('parseImageMessage', () => {
  it('reads the image id, lower-cased, and the request id when there is a sane one', () => {
    expect(parseImageMessage(JSON.stringify({ imageId: ID.toUpperCase() }))).toEqual({ imageId: ID });
    expect(parseImageMessage(JSON.stringify({ imageId: ID, requestId: 'abc-123' }))).toEqual({ imageId: ID, requestId: 'abc-123' });
  });

  it.each([
    ['not a string', 42],
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['with a newline', 'a\nb'],
    ['with spaces', 'a b'],
  ])('drops a request id that is %s, and still does the work', (_, requestId) => {
    expect(parseImageMessage(JSON.stringify({ imageId: ID, requestId }))).toEqual({ imageId: ID });
  });

  it.each(['not json {', 'null', '{}', '{"imageId":42}', '{"imageId":"nope"}'])('refuses %s as poison', (body) => {
    expect(() => parseImageMessage(body)).toThrow(PoisonMessageError);
  });
});

describe('the item a message carries', () => {
  const item: Image = { id: ID, version: 1, state: 'uploaded', rawS3Key: `upload/${ID}/ab`, createdAt: 1, updatedAt: 2 };

  it('is kept when it is a well-formed item of this image', () => {
    expect(parseImageMessage(JSON.stringify({ imageId: ID, item }))).toEqual({ imageId: ID, item });
  });

  it.each([
    ['of another image', { ...item, id: '1b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c' }],
    ['without a version', { ...item, version: undefined }],
    ['with a negative version', { ...item, version: -1 }],
    ['in no known state', { ...item, state: 'lost' }],
    ['with a raw key that is no string', { ...item, rawS3Key: 7 }],
    ['not an object', 'uploaded'],
  ])('is dropped when it is %s (the worker then reads the item), and the work still done', (_, bad) => {
    expect(parseImageMessage(JSON.stringify({ imageId: ID, item: bad }))).toEqual({ imageId: ID });
  });

  it('is started from on a first delivery only: a redelivery follows a job that may have written since', () => {
    expect(itemToStartFrom({ imageId: ID, item }, 1)).toBe(item);
    expect(itemToStartFrom({ imageId: ID, item }, 2)).toBeUndefined();
    expect(itemToStartFrom({ imageId: ID, item }, undefined)).toBeUndefined();
    expect(itemToStartFrom({ imageId: ID }, 1)).toBeUndefined();
  });
});
