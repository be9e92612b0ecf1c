import type { HistoryEntry } from '@imagery/history/history-entry';
import { IDS, T0, apiFault, attempt, cleanRun, completeHistory } from '@imagery/testing/checker/run-builder';
import { badInputRejected } from './bad-input-rejected';

describe('bad-input-rejected', () => {
  const [A, B] = IDS;
  const check = (entries: HistoryEntry[]) =>
    badInputRejected({ history: completeHistory(entries), state: cleanRun([]).state, options: {} });

  it('passes bad requests answered 4xx (a 5xx retried into a 4xx included)', () => {
    expect(
      check([
        ...attempt({ op: 'upload', id: A, at: T0, process: 9, type: 'fail', status: 415, bad: 'not-an-image' }),
        ...attempt({ op: 'upload', id: B, at: T0 + 10, process: 8, type: 'info', status: 503, bad: 'truncated' }),
        ...attempt({ op: 'upload', id: B, at: T0 + 100, process: 8, attempt: 2, type: 'fail', status: 422, bad: 'truncated' }),
        ...attempt({ op: 'create', id: 'not-a-uuid', at: T0 + 200, process: 7, type: 'fail', status: 400, bad: 'bad-id' }),
      ]),
    ).toEqual([]);
  });

  it('flags bad input answered 2xx', () => {
    expect(check(attempt({ op: 'upload', id: A, at: T0, type: 'ok', bad: 'too-large', version: 1, state: 'uploaded' }))).toEqual([
      {
        invariant: 'bad-input-rejected',
        ids: [A],
        message: expect.stringMatching(/^too-large upload: accepted: upload#1 ok 200 v1 uploaded/) as unknown,
      },
    ]);
  });

  it('flags bad input whose last attempt was answered 5xx, telling apart two requests with the same malformed id', () => {
    const history = [
      ...attempt({ op: 'create', id: 'x', at: T0, type: 'info', status: 500, bad: 'bad-id' }),
      ...attempt({ op: 'create', id: 'x', at: T0 + 50, attempt: 2, type: 'info', status: 502, bad: 'bad-id' }),
      ...attempt({ op: 'create', id: 'x', at: T0 + 100, type: 'fail', status: 400, bad: 'bad-id' }),
    ];
    expect(check(history).map((v) => v.message)).toEqual([expect.stringContaining('bad-id create: last of 2 attempt(s) answered 502')]);
  });

  it('does not judge a 5xx that an injected fault explains (on its request, or on its image meanwhile)', () => {
    const byRequest = [
      ...attempt({ op: 'upload', id: A, at: T0, type: 'info', status: 503, bad: 'truncated', requestId: 'r1' }),
      apiFault(T0 + 5, { requestId: 'r1' }),
    ];
    expect(check(byRequest)).toEqual([]);
    const byImage = [
      ...attempt({ op: 'upload', id: A, at: T0, type: 'info', status: 503, bad: 'truncated' }),
      apiFault(T0 + 5, { imageId: A }),
    ];
    expect(check(byImage)).toEqual([]);
    const before = [
      apiFault(T0 - 5, { imageId: A }),
      ...attempt({ op: 'upload', id: A, at: T0, type: 'info', status: 503, bad: 'truncated' }),
    ];
    expect(check(before)).toHaveLength(1);
  });

  it('does not judge a bad request that never got an answer', () => {
    expect(check(attempt({ op: 'upload', id: A, at: T0, type: 'info', status: 0, error: 'timeout', bad: 'truncated' }))).toEqual([]);
  });
});
