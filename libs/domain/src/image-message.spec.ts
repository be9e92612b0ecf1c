import { PoisonMessageError, parseImageMessage } from './image-message';

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
