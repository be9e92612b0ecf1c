import { requestIdOf, parseRequestId } from './request-id';

describe('request ids: run tag, journey, step, attempt', () => {
  it('formats a key the API takes as a client id, and parses it back', () => {
    const key = { runTag: 's1-mi3x.q_7', journey: 42, step: 3, attempt: 2 };
    const id = requestIdOf(key);
    expect(id).toBe('s1-mi3x.q_7-j42-s3-a2');
    expect(id).toMatch(/^[A-Za-z0-9._:@/+=-]{1,128}$/); // libs/nest-platform/src/logging/request-id.ts
    expect(parseRequestId(id)).toEqual(key);
  });

  it('a run tag that itself looks like a key still parses from the right', () => {
    const key = { runTag: 'seed-1-j2-s3-a4', journey: 5, step: 6, attempt: 7 };
    expect(parseRequestId(requestIdOf(key))).toEqual(key);
    expect(requestIdOf({ ...key, runTag: 'x'.repeat(64), journey: 2 ** 31 }).length).toBeLessThanOrEqual(128);
  });

  it('ids that are not the workload’s are not parsed', () => {
    for (const id of ['seed-1-7-2', 'f1c2e3d4-0000-4000-8000-000000000000', 'tag-j1-s1', 'tag-j1-s1-aX', '-j1-s1-a1'])
      expect(parseRequestId(id)).toBeUndefined();
  });
});
