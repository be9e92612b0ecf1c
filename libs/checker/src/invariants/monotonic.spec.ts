import type { HistoryEntry } from '@imagery/history/history-entry';
import type { FinalState } from '../stored-state';
import { IDS, T0, attempt, cleanRun, completeHistory, finalState, journey, processedItem } from '@imagery/testing/checker/run-builder';
import { monotonic } from './monotonic';

describe('monotonic', () => {
  const [A] = IDS;
  const get = (at: number, took: number, version: number, state: string): HistoryEntry[] =>
    attempt({ op: 'get', id: A, at: T0 + at, took, type: 'ok', version, state });
  const check = (history: HistoryEntry[], state: FinalState) => monotonic({ history, state, options: {} });

  it('passes a clean run', () => {
    const { history, state } = cleanRun();
    expect(check(history, state)).toEqual([]);
  });

  it('flags a version going back across real-time-ordered observations', () => {
    const history = completeHistory([...journey(A), ...get(2_000, 10, 1, 'uploaded')]);
    expect(check(history, finalState([processedItem(A)]))).toEqual([
      {
        invariant: 'monotonic',
        ids: [A],
        message: expect.stringMatching(
          /^went backwards: get#1 ok 200 v2 processed at .* s, then get#1 ok 200 v1 uploaded at .* s \(version 2 → 1\)$/,
        ) as unknown,
      },
    ]);
  });

  it('does NOT flag concurrent (overlapping) observations seen out of order', () => {
    // the second read was invoked before the first completed: either order is a legal linearization
    const history = completeHistory([...get(0, 500, 2, 'processed'), ...get(400, 50, 1, 'uploaded')]);
    expect(check(history, finalState([processedItem(A)]))).toEqual([]);
  });

  it('flags a state going back with the same or a higher version', () => {
    const history = completeHistory([...get(0, 10, 2, 'processed'), ...get(20, 10, 3, 'uploaded')]);
    expect(check(history, finalState([processedItem(A, { version: 3 })])).map((v) => v.message)).toEqual([
      expect.stringContaining('(state processed → uploaded)'),
      expect.stringContaining('final item v3 processed is behind an observation'),
    ]);
  });

  it('flags a state change without a version bump, and processed turning failed', () => {
    const history = completeHistory([
      ...get(0, 10, 1, 'created'),
      ...get(20, 10, 1, 'uploaded'),
      ...get(40, 10, 2, 'processed'),
      ...get(60, 10, 3, 'failed'),
    ]);
    const messages = check(history, finalState([processedItem(A, { version: 3, state: 'failed', failureReason: 'x' })])).map(
      (v) => v.message,
    );
    // one violation per image for its responses (the first, then a count), one for its final item
    expect(messages).toEqual([
      expect.stringMatching(/\(state created → uploaded without a version bump\) \(and 1 more responses behind an earlier one\)$/),
      expect.stringContaining('final item v3 failed is behind an observation'),
    ]);
  });

  it('flags a final item behind what a client already saw', () => {
    const rolledBack = { ...processedItem(A), version: 1, state: 'uploaded' };
    expect(check(completeHistory(journey(A)), finalState([rolledBack]))).toEqual([
      { invariant: 'monotonic', ids: [A], message: expect.stringContaining('final item v1 uploaded is behind an observation') as unknown },
    ]);
  });
});
