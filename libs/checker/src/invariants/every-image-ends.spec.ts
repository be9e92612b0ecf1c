import {
  IDS,
  T0,
  attempt,
  cleanRun,
  completeHistory,
  finalState,
  journey,
  processedItem,
  shaOf,
  uploadedItem,
} from '@imagery/testing/checker/run-builder';
import { everyImageEnds } from './every-image-ends';

describe('every-image-ends', () => {
  const [A, B] = IDS;
  const check = (
    history: Parameters<typeof everyImageEnds>[0]['history'],
    state: Parameters<typeof everyImageEnds>[0]['state'],
    options = {},
  ) => everyImageEnds({ history, state, options });

  /** create ok, then an upload that only ever got `info` (the API crashed after applying it, every retry failed). */
  const infoUpload = (id: string) =>
    completeHistory([
      ...attempt({ op: 'create', id, at: T0, type: 'ok', version: 0, state: 'created' }),
      ...attempt({ op: 'upload', id, at: T0 + 20, type: 'info', status: 0, error: 'ECONNRESET', sha256: shaOf(id) }),
      ...attempt({ op: 'upload', id, at: T0 + 100, attempt: 2, type: 'info', status: 503, sha256: shaOf(id) }),
    ]);

  it('passes a clean run', () => {
    const { history, state } = cleanRun();
    expect(check(history, state)).toEqual([]);
  });

  it('flags an acknowledged upload still uploaded, naming the attempt and the info before it', () => {
    const history = completeHistory([
      ...attempt({ op: 'create', id: A, at: T0, type: 'ok', version: 0, state: 'created' }),
      ...attempt({ op: 'upload', id: A, at: T0 + 20, type: 'info', status: 0, error: 'timeout', sha256: shaOf(A) }),
      ...attempt({ op: 'upload', id: A, at: T0 + 60, attempt: 2, type: 'ok', version: 1, state: 'uploaded', sha256: shaOf(A) }),
    ]);
    expect(check(history, finalState([uploadedItem(A)]))).toEqual([
      { invariant: 'every-image-ends', ids: [A], message: 'acknowledged upload (attempt 2, after an `info`) stuck in `uploaded` (v1)' },
    ]);
  });

  it('false PASS fixed: an item left uploaded when no client saw a 2xx is a violation', () => {
    expect(check(infoUpload(A), finalState([uploadedItem(A)]))).toEqual([
      {
        invariant: 'every-image-ends',
        ids: [A],
        message: 'upload never acknowledged (2 attempt(s): info ECONNRESET, info 503) stuck in `uploaded` (v1)',
      },
    ]);
  });

  it('an info upload may end either way: not applied (created) or finished (processed)', () => {
    expect(check(infoUpload(A), finalState([{ id: A, version: 0, state: 'created', createdAt: T0 }]))).toEqual([]);
    expect(check(infoUpload(A), finalState([processedItem(A)]))).toEqual([]);
  });

  it('flags an item of the run that no client ever uploaded to, left uploaded', () => {
    const history = completeHistory(attempt({ op: 'create', id: A, at: T0, type: 'ok', version: 0, state: 'created' }));
    expect(check(history, finalState([uploadedItem(A)])).map((v) => v.message)).toEqual(['no client uploaded stuck in `uploaded` (v1)']);
  });

  it('flags acknowledged work without an item, and an acknowledged upload whose item is still created', () => {
    const history = completeHistory([...journey(A), ...journey(B, T0 + 100, 2).slice(0, 2)]);
    expect(check(history, finalState([{ id: A, version: 0, state: 'created' }])).map((v) => [v.ids, v.message])).toEqual([
      [[A], 'acknowledged upload (attempt 1) but the item is still `created` (v0)'],
      [[B], 'acknowledged create, but there is no item'],
    ]);
  });

  it('wants failed to carry a reason, and only for an upload expected to be undecodable', () => {
    const { history } = cleanRun([A]);
    const failed = processedItem(A, { state: 'failed', processedS3Key: undefined, failureReason: 'undecodable: boom' });
    expect(check(history, finalState([failed])).map((v) => v.message)).toEqual([
      'acknowledged upload (attempt 1) ended `failed` (undecodable: boom) although it uploaded a valid image',
    ]);
    expect(check(history, finalState([failed]), { expectedFailed: new Set([A]) })).toEqual([]);
    const noReason = { ...failed, failureReason: undefined };
    expect(check(history, finalState([noReason]), { expectedFailed: new Set([A]) }).map((v) => v.message)).toEqual([
      'acknowledged upload (attempt 1) ended `failed` (v2) without a reason',
    ]);
  });

  it('flags processed without a processedS3Key', () => {
    const { history } = cleanRun([A]);
    expect(check(history, finalState([processedItem(A, { processedS3Key: undefined })])).map((v) => v.message)).toEqual([
      'acknowledged upload (attempt 1) ended `processed` (v2) without a processedS3Key',
    ]);
  });
});
