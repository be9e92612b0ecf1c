import { ImageNotFoundError, VersionConflictError } from '@imagery/domain';
import { mapError } from './error-status';

describe('mapError', () => {
  it('an exhausted version conflict is a retryable 503 with Retry-After, not a 409 clients would not retry', () => {
    expect(mapError(new VersionConflictError('x', 3))).toMatchObject({ status: 503, code: 'version_conflict', retryAfterSeconds: 1 });
  });

  it('AWS and network failures are 503 without their text; anything unknown is a bare 500', () => {
    const aws = Object.assign(new Error('User: arn:aws:iam::123456789012:user/x is not authorized'), { $metadata: {} });
    expect(mapError(aws)).toEqual({
      status: 503,
      code: 'dependency_unavailable',
      message: expect.not.stringContaining('arn:aws') as unknown,
      retryAfterSeconds: 1,
    });
    expect(mapError(new Error('secret detail'))).toEqual({ status: 500, code: 'internal_error', message: 'internal error' });
    expect(mapError(new ImageNotFoundError('x'))).toMatchObject({ status: 404, code: 'image_not_found' });
  });

  it("the body parsers' client errors keep their 4xx status", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 });
    expect(mapError(tooLarge)).toMatchObject({ status: 413, code: 'payload_too_large' });
    const malformed = Object.assign(new Error('Unexpected end of JSON input'), { type: 'entity.parse.failed', status: 400 });
    expect(mapError(malformed)).toMatchObject({ status: 400, code: 'bad_request' });
  });
});
