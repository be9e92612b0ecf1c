import { IDS, T0, cleanRun, event } from '../test/run-builder';
import { badInputRejected } from './bad-input-rejected';

describe('bad-input-rejected', () => {
  const [A, B] = IDS;

  it('passes a clean run with bad requests answered 4xx (a 5xx retried into a 4xx included)', () => {
    const { history, state } = cleanRun();
    const bad = [
      event({ op: 'upload', id: A, status: 415, bad: 'not-an-image', vu: 9, iteration: 1 }),
      event({ op: 'upload', id: B, status: 503, bad: 'truncated', vu: 9, iteration: 2 }),
      event({ op: 'upload', id: B, status: 422, bad: 'truncated', vu: 9, iteration: 2, attempt: 2, start: T0 + 100 }),
      event({ op: 'create', id: 'not-a-uuid', status: 400, bad: 'bad-id', vu: 9, iteration: 3 }),
      event({ op: 'create', id: 'not-a-uuid', status: 400, bad: 'bad-id', vu: 8, iteration: 3 }),
    ];
    expect(badInputRejected([...history, ...bad], state)).toEqual([]);
  });

  it('flags bad input answered 2xx', () => {
    const { state } = cleanRun();
    const history = [event({ op: 'upload', id: A, status: 200, bad: 'too-large', version: 1, state: 'uploaded' })];
    expect(badInputRejected(history, state)).toEqual([
      { invariant: 'bad-input-rejected', ids: [A], message: expect.stringMatching(/^too-large upload: accepted: upload#1 → 200 v1 uploaded/) },
    ]);
  });

  it('flags bad input whose last attempt was answered 5xx', () => {
    const { state } = cleanRun();
    const history = [
      event({ op: 'create', id: 'x', status: 500, bad: 'bad-id' }),
      event({ op: 'create', id: 'x', status: 502, bad: 'bad-id', attempt: 2, start: T0 + 50 }),
    ];
    expect(badInputRejected(history, state)).toEqual([
      { invariant: 'bad-input-rejected', ids: ['x'], message: expect.stringContaining('bad-id create: last of 2 attempt(s) answered 502') },
    ]);
  });

  it('tells apart two bad requests with the same malformed id (a new request restarts at attempt 1)', () => {
    const { state } = cleanRun();
    const history = [
      event({ op: 'create', id: 'x', status: 500, bad: 'bad-id' }),
      event({ op: 'create', id: 'x', status: 400, bad: 'bad-id', start: T0 + 50 }),
    ];
    expect(badInputRejected(history, state).map((v) => v.message)).toEqual([expect.stringContaining('last of 1 attempt(s) answered 500')]);
  });

  it('does not judge a bad request that never got an answer', () => {
    const { state } = cleanRun();
    expect(badInputRejected([event({ op: 'upload', id: A, status: 0, bad: 'truncated' })], state)).toEqual([]);
  });
});
