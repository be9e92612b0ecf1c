import type { FinalState } from '../stored-state';
import { IDS, cleanRun } from '@imagery/testing/checker/run-builder';
import { drained } from './drained';

describe('drained', () => {
  const [A] = IDS;
  const check = (state: FinalState, options = {}) => drained({ history: [], state, options });

  it('passes a clean run', () => {
    expect(check(cleanRun().state)).toEqual([]);
  });

  it.each([
    [{ visible: 1, inFlight: 0, delayed: 0 }, '1 visible, 0 in flight, 0 delayed'],
    [{ visible: 0, inFlight: 2, delayed: 0 }, '0 visible, 2 in flight, 0 delayed'],
    [{ visible: 0, inFlight: 0, delayed: 3 }, '0 visible, 0 in flight, 3 delayed'],
  ])('flags a message left in the main queue (%o)', (queue, counts) => {
    expect(check({ ...cleanRun().state, queue })).toEqual([{ invariant: 'drained', ids: [], message: `main queue not empty: ${counts}` }]);
  });

  it("flags this run's dead letters, naming the ids in the bodies", () => {
    const deadLetter = { visible: 2, inFlight: 0, messages: [JSON.stringify({ imageId: A }), 'not json'] };
    expect(check({ ...cleanRun().state, deadLetter })).toEqual([
      {
        invariant: 'drained',
        ids: [A],
        message: `dead-letter queue holds 2 message(s) of this run: ${JSON.stringify(JSON.stringify({ imageId: A }))}, "not json"`,
      },
    ]);
  });

  it('false FAIL fixed: a scoped state judges only its own dead letters (earlier runs counted as ignored)', () => {
    const deadLetter = { visible: 5, inFlight: 0, messages: [], ignored: 5 };
    expect(check({ ...cleanRun().state, deadLetter })).toEqual([]);
  });

  it('false PASS fixed: dead letters the peek could not see are a violation, not a silent partial judgement', () => {
    // scoped, nothing of this run among the 1,000 seen, 250 never read: they may be this run's
    const deadLetter = { visible: 1_250, inFlight: 0, messages: [], ignored: 1_000, unseen: 250 };
    expect(check({ ...cleanRun().state, deadLetter })).toEqual([
      {
        invariant: 'drained',
        ids: [],
        message:
          'dead-letter queue: 250 of the 1250 message(s) it reports could not be read, ' +
          'so its dead letters were judged on a partial list',
      },
    ]);
    expect(check({ ...cleanRun().state, deadLetter }, { allowDeadLetters: true })).toEqual([]);
  });

  it('accepts dead letters when they are allowed, but still wants the main queue empty', () => {
    const deadLetter = { visible: 1, inFlight: 0, messages: ['{"imageId":"poison"}'] };
    expect(check({ ...cleanRun().state, deadLetter }, { allowDeadLetters: true })).toEqual([]);
    expect(
      check({ ...cleanRun().state, deadLetter, queue: { visible: 1, inFlight: 0, delayed: 0 } }, { allowDeadLetters: true }),
    ).toHaveLength(1);
  });
});
