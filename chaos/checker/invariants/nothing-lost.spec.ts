import { rawKeyOf } from '@imagery/domain';
import { IDS, cleanRun, event, finalState, journey, object, objectsOf, processedItem, shaOf } from '../test/run-builder';
import { nothingLost } from './nothing-lost';

describe('nothing-lost', () => {
  const [A, B] = IDS;

  it('passes a clean run', () => {
    const { history, state } = cleanRun();
    expect(nothingLost(history, state)).toEqual([]);
  });

  it('flags an acknowledged upload whose item is still uploaded', () => {
    const { history, state } = cleanRun([A, B]);
    const stuck = { ...processedItem(A), state: 'uploaded', version: 1, processedS3Key: undefined };
    const violations = nothingLost(history, finalState([stuck, processedItem(B)]));
    expect(violations).toEqual([
      { invariant: 'nothing-lost', ids: [A], message: expect.stringContaining('ended uploaded (v1), not processed') },
    ]);
    expect(state.items).toHaveLength(2);
  });

  it('flags a processed item whose processed object does not exist', () => {
    const { history } = cleanRun([A]);
    const item = processedItem(A);
    const violations = nothingLost(history, finalState([item], [object(item.rawS3Key!)]));
    expect(violations).toEqual([{ invariant: 'nothing-lost', ids: [A], message: expect.stringMatching(/its object processed\/.* does not exist/) }]);
  });

  it('flags an acknowledged upload with no item at all, and an acknowledged create with no item', () => {
    const history = [...journey(A), ...journey(B).slice(0, 1)];
    const violations = nothingLost(history, finalState([]));
    expect(violations.map((v) => [v.ids, v.message])).toEqual([
      [[A], expect.stringContaining('upload acknowledged (200), but there is no item')],
      [[B], 'create acknowledged, but there is no item'],
    ]);
  });

  it('flags a rawS3Key that does not name the acknowledged bytes, and a missing raw object', () => {
    const { history } = cleanRun([A, B]);
    const other = processedItem(A, { rawS3Key: rawKeyOf(A, shaOf('someone else')) });
    const noRaw = processedItem(B);
    const state = finalState([other, noRaw], [...objectsOf(other), object(noRaw.processedS3Key!)]);
    expect(nothingLost(history, state).map((v) => [v.ids, v.message])).toEqual([
      [[A], expect.stringContaining("does not name an acknowledged upload's bytes")],
      [[B], expect.stringMatching(/the uploaded object upload\/.* does not exist/)],
    ]);
  });

  it('flags an image that ended failed although its upload was a valid image', () => {
    const { history } = cleanRun([A]);
    const failed = processedItem(A, { state: 'failed', processedS3Key: undefined, failureReason: 'undecodable: boom' });
    expect(nothingLost(history, finalState([failed]))).toEqual([
      { invariant: 'nothing-lost', ids: [A], message: expect.stringContaining('ended failed (undecodable: boom)') },
    ]);
  });

  it('accepts failed for an upload expected to be undecodable (marked bad, or listed), if it has a reason', () => {
    const badUpload = [
      event({ op: 'create', id: A, status: 201, version: 0, state: 'created' }),
      event({ op: 'upload', id: A, status: 200, start: T(20), version: 1, state: 'uploaded', bad: 'truncated', sha256: shaOf(A) }),
    ];
    const failed = processedItem(A, { state: 'failed', processedS3Key: undefined, failureReason: 'undecodable: truncated' });
    expect(nothingLost(badUpload, finalState([failed]))).toEqual([]);
    expect(nothingLost(journey(A), finalState([failed]), { expectedFailed: new Set([A]) })).toEqual([]);
    const noReason = { ...failed, failureReason: undefined };
    expect(nothingLost(badUpload, finalState([noReason])).map((v) => v.message)).toEqual(['ended failed without a failureReason']);
  });

  it('does not require anything of an id whose upload was never acknowledged', () => {
    const history = [
      event({ op: 'create', id: A, status: 201, version: 0, state: 'created' }),
      event({ op: 'upload', id: A, status: 503, start: T(20) }),
      event({ op: 'upload', id: A, status: 0, start: T(40), attempt: 2 }),
    ];
    expect(nothingLost(history, finalState([{ id: A, version: 0, state: 'created' }]))).toEqual([]);
  });
});

const T = (ms: number) => Date.parse('2025-01-01T12:00:00.000Z') + ms;
