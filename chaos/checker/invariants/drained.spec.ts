import { IDS, cleanRun } from '../test/run-builder';
import { drained } from './drained';

describe('drained', () => {
  const [A] = IDS;

  it('passes a clean run', () => {
    const { history, state } = cleanRun();
    expect(drained(history, state)).toEqual([]);
  });

  it.each([
    [{ visible: 1, inFlight: 0, delayed: 0 }, '1 visible, 0 in flight, 0 delayed'],
    [{ visible: 0, inFlight: 2, delayed: 0 }, '0 visible, 2 in flight, 0 delayed'],
    [{ visible: 0, inFlight: 0, delayed: 3 }, '0 visible, 0 in flight, 3 delayed'],
  ])('flags a message left in the main queue (%o)', (queue, counts) => {
    const { history, state } = cleanRun();
    expect(drained(history, { ...state, queue })).toEqual([{ invariant: 'drained', ids: [], message: `main queue not empty: ${counts}` }]);
  });

  it('flags a non-empty dead-letter queue, naming the ids in the bodies', () => {
    const { history, state } = cleanRun();
    const deadLetter = { visible: 2, inFlight: 0, messages: [JSON.stringify({ imageId: A }), 'not json'] };
    expect(drained(history, { ...state, deadLetter })).toEqual([
      { invariant: 'drained', ids: [A], message: `dead-letter queue holds 2 message(s): ${JSON.stringify(JSON.stringify({ imageId: A }))}, "not json"` },
    ]);
  });

  it('accepts dead letters when they are allowed, but still wants the main queue empty', () => {
    const { history, state } = cleanRun();
    const deadLetter = { visible: 1, inFlight: 0, messages: ['{"imageId":"poison"}'] };
    expect(drained(history, { ...state, deadLetter }, { allowDeadLetters: true })).toEqual([]);
    const withQueue = { ...state, deadLetter, queue: { visible: 1, inFlight: 0, delayed: 0 } };
    expect(drained(history, withQueue, { allowDeadLetters: true })).toHaveLength(1);
  });
});
