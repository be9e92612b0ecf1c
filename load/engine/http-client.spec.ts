import { retryAfterMsOf } from './http-client';

describe('retryAfterMsOf', () => {
  it('reads delay-seconds as milliseconds', () => {
    expect(retryAfterMsOf('3')).toBe(3_000);
    expect(retryAfterMsOf(' 0 ')).toBe(0);
    expect(retryAfterMsOf(['2', '9'])).toBe(2_000);
  });

  it('reads no header, an HTTP date or garbage as no advice', () => {
    expect(retryAfterMsOf(undefined)).toBeUndefined();
    expect(retryAfterMsOf('Wed, 21 Oct 2026 07:28:00 GMT')).toBeUndefined();
    expect(retryAfterMsOf('-1')).toBeUndefined();
    expect(retryAfterMsOf('1.5')).toBeUndefined();
  });
});
