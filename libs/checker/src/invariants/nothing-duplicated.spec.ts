import type { HistoryEntry } from '@imagery/history/history-entry';
import type { FinalState } from '../stored-state';
import {
  IDS,
  T0,
  attempt,
  cleanRun,
  completeHistory,
  finalState,
  journey,
  object,
  objectsOf,
  processedItem,
  uploadedItem,
} from '@imagery/testing/checker/run-builder';
import { nothingDuplicated } from './nothing-duplicated';

describe('nothing-duplicated', () => {
  const [A, B, C] = IDS;
  const check = (history: HistoryEntry[], state: FinalState) => nothingDuplicated({ history, state, options: {} });

  it('passes a clean run', () => {
    const { history, state } = cleanRun();
    expect(check(history, state)).toEqual([]);
  });

  it('passes a create that was retried and answered 200 (already existed)', () => {
    const history = completeHistory([
      ...journey(A),
      ...attempt({ op: 'create', id: A, at: T0 + 2_000, attempt: 2, type: 'ok', status: 200, version: 0, state: 'created' }),
    ]);
    expect(check(history, finalState([processedItem(A)]))).toEqual([]);
  });

  it('flags an item nobody asked for', () => {
    const { history, state } = cleanRun([A]);
    expect(check(history, finalState([...state.items, processedItem(B)]))).toEqual([
      { invariant: 'nothing-duplicated', ids: [B], message: 'an item nobody created (v2 processed)' },
      // its objects have an item: not reported twice
    ]);
  });

  it('counts a create that got no answer as asked for', () => {
    const history = completeHistory(attempt({ op: 'create', id: A, at: T0, type: 'info', status: 0, error: 'timeout' }));
    expect(check(history, finalState([{ id: A, version: 0, state: 'created' }]))).toEqual([]);
  });

  it('false PASS fixed: a second processed object for one image', () => {
    const { history, state } = cleanRun([A]);
    const second = object(`processed/${A}-1735732800123.jpg`);
    expect(check(history, { ...state, objects: [...state.objects, second] })).toEqual([
      { invariant: 'nothing-duplicated', ids: [A], message: `2 processed objects for one image: processed/${A}.jpg, ${second.key}` },
    ]);
  });

  it('false PASS fixed: an orphan processed object, and objects without any item', () => {
    const { history } = cleanRun([A, B]);
    const objects = [
      ...objectsOf(processedItem(A)),
      ...objectsOf(uploadedItem(B)),
      object(`processed/1735732800999-x.jpg`),
      object(`processed/${B}.jpg`),
      object(`upload/${C}/abc`),
    ];
    expect(check(history, finalState([processedItem(A), uploadedItem(B)], objects))).toEqual([
      { invariant: 'nothing-duplicated', ids: [B], message: `orphan processed object processed/${B}.jpg (its image is uploaded)` },
      {
        invariant: 'nothing-duplicated',
        ids: [],
        message: 'object processed/1735732800999-x.jpg without an item (its key names no image)',
      },
      { invariant: 'nothing-duplicated', ids: [C], message: `object upload/${C}/abc without an item` },
    ]);
  });

  it('flags an id whose create was answered 201 Created twice', () => {
    const history = completeHistory([
      ...journey(A),
      ...attempt({ op: 'create', id: A, at: T0 + 5_000, type: 'ok', version: 0, state: 'created' }),
    ]);
    expect(check(history, finalState([processedItem(A)]))).toEqual([
      { invariant: 'nothing-duplicated', ids: [A], message: 'create answered 201 Created 2 times' },
    ]);
  });

  it('flags the same id twice in the scan', () => {
    const { history } = cleanRun([C]);
    const item = processedItem(C);
    expect(check(history, finalState([item, { ...item, version: 3 }], objectsOf(item)))).toEqual([
      { invariant: 'nothing-duplicated', ids: [C], message: '2 items with this id' },
    ]);
  });
});
