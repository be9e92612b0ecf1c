import type { HistoryEvent } from '../../history/history-event';
import { IDS, T0, cleanRun, event, finalState, journey, processedItem } from '../test/run-builder';
import { monotonic } from './monotonic';

describe('monotonic', () => {
  const [A] = IDS;
  const get = (start: number, end: number, version: number, state: string): HistoryEvent =>
    event({ op: 'get', id: A, status: 200, start: T0 + start, end: T0 + end, version, state });

  it('passes a clean run', () => {
    const { history, state } = cleanRun();
    expect(monotonic(history, state)).toEqual([]);
  });

  it('flags a version going back across real-time-ordered observations', () => {
    const history = [...journey(A), get(2_000, 2_010, 1, 'uploaded')];
    const violations = monotonic(history, finalState([processedItem(A)]));
    expect(violations).toEqual([
      { invariant: 'monotonic', ids: [A], message: expect.stringMatching(/^went backwards: get#1 → 200 v2 processed .*, then get#1 → 200 v1 uploaded .*\(version 2 → 1\)$/) },
    ]);
  });

  it('does NOT flag concurrent (overlapping) observations seen out of order', () => {
    // the second read started before the first answered: either order is a legal linearization
    const history = [get(0, 500, 2, 'processed'), get(400, 450, 1, 'uploaded')];
    expect(monotonic(history, finalState([processedItem(A)]))).toEqual([]);
  });

  it('flags a state going back with the same or a higher version', () => {
    const history = [get(0, 10, 2, 'processed'), get(20, 30, 3, 'uploaded')];
    expect(monotonic(history, finalState([processedItem(A, { version: 3 })])).map((v) => v.message)).toEqual([
      expect.stringContaining('(state processed → uploaded)'),
      expect.stringContaining('final item v3 processed is behind an observation'),
    ]);
  });

  it('flags a state change without a version bump, and processed turning failed', () => {
    const history = [get(0, 10, 1, 'created'), get(20, 30, 1, 'uploaded'), get(40, 50, 2, 'processed'), get(60, 70, 3, 'failed')];
    const messages = monotonic(history, finalState([processedItem(A, { version: 3, state: 'failed', failureReason: 'x' })])).map((v) => v.message);
    expect(messages).toEqual([
      expect.stringContaining('(state created → uploaded without a version bump)'),
      expect.stringContaining('(state processed → failed)'),
      expect.stringContaining('final item v3 failed is behind an observation'),
    ]);
  });

  it('flags a final item behind what a client already saw', () => {
    const history = journey(A);
    const rolledBack = { ...processedItem(A), version: 1, state: 'uploaded' };
    expect(monotonic(history, finalState([rolledBack]))).toEqual([
      { invariant: 'monotonic', ids: [A], message: expect.stringContaining('final item v1 uploaded is behind an observation') },
    ]);
  });

  it('ignores failed responses and responses without a version', () => {
    const history = [get(0, 10, 2, 'processed'), event({ op: 'get', id: A, status: 503, start: T0 + 20 }), event({ op: 'get', id: A, status: 200, start: T0 + 40, state: 'created' })];
    expect(monotonic(history, finalState([processedItem(A)]))).toEqual([]);
  });
});
