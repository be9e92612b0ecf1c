import { describeOperation, indexHistory } from './history-index';
import { IDS, T0, attempt, completeHistory } from '@imagery/testing/checker/run-builder';

describe('the history index', () => {
  const [A] = IDS;

  it('pairs each invocation with its completion by requestId, keeping the open ones and the orphans', () => {
    const history = completeHistory([
      ...attempt({ op: 'create', id: A, at: T0, type: 'ok', version: 0, state: 'created', requestId: 'a' }),
      ...attempt({ op: 'upload', id: A, at: T0 + 20, type: 'open', requestId: 'b' }),
      ...attempt({ op: 'get', id: A, at: T0 + 30, type: 'ok', requestId: 'c' }).slice(1),
      ...attempt({ op: 'create', id: 'nope', at: T0 + 40, type: 'fail', bad: 'bad-id', requestId: 'd' }),
    ]);
    const index = indexHistory(history);
    expect(index.operations.map((o) => [o.invoke.requestId, o.completion?.type])).toEqual([
      ['a', 'ok'],
      ['b', undefined],
      ['d', 'fail'],
    ]);
    expect(index.unmatchedCompletions.map((c) => c.requestId)).toEqual(['c']);
    expect([...index.byId.keys()]).toEqual([A]); // the malformed id is no image
    expect(index.origin).toBe(T0 - 100);
    expect(indexHistory(history)).toBe(index); // built once per history
  });

  it('groups retries into requests; a client starting over at attempt 1 is a new request', () => {
    const history = completeHistory([
      ...attempt({ op: 'upload', id: A, at: T0, type: 'info', status: 503 }),
      ...attempt({ op: 'upload', id: A, at: T0 + 100, attempt: 2, type: 'ok' }),
      ...attempt({ op: 'upload', id: A, at: T0 + 200, type: 'ok' }),
      ...attempt({ op: 'upload', id: A, at: T0 + 300, process: 2, type: 'ok' }),
    ]);
    expect(indexHistory(history).requests.map((r) => r.attempts.length)).toEqual([2, 1, 1]);
  });

  it('describes an operation with its outcome and its time since the first entry', () => {
    const [op] = indexHistory(
      completeHistory(attempt({ op: 'upload', id: A, at: T0 + 12_100, attempt: 2, type: 'info', status: 0, error: 'timeout' })),
    ).operations;
    expect(describeOperation(op, T0)).toBe('upload#2 info timeout at 12.1 s');
  });
});
