import { IDS, cleanRun, event, finalState, journey, object, objectsOf, processedItem } from '../test/run-builder';
import { nothingDuplicated } from './nothing-duplicated';

describe('nothing-duplicated', () => {
  const [A, B, C] = IDS;

  it('passes a clean run', () => {
    const { history, state } = cleanRun();
    expect(nothingDuplicated(history, state)).toEqual([]);
  });

  it('passes a create that was retried and answered 200 (already existed)', () => {
    const history = [...journey(A), event({ op: 'create', id: A, status: 200, attempt: 2, version: 0, state: 'created' })];
    expect(nothingDuplicated(history, finalState([processedItem(A)]))).toEqual([]);
  });

  it('flags an item nobody asked for', () => {
    const { history, state } = cleanRun([A]);
    const stranger = processedItem(B);
    const violations = nothingDuplicated(history, finalState([...state.items, stranger]));
    expect(violations).toEqual([{ invariant: 'nothing-duplicated', ids: [B], message: 'an item nobody created (v2 processed)' }]);
  });

  it('counts a create that got no answer as asked for', () => {
    const history = [event({ op: 'create', id: A, status: 0 })];
    expect(nothingDuplicated(history, finalState([{ id: A, version: 0, state: 'created' }]))).toEqual([]);
  });

  it('flags two processed objects for one image', () => {
    const { history, state } = cleanRun([A]);
    const second = object(`processed/${A}-1735732800123.jpg`);
    const violations = nothingDuplicated(history, { ...state, objects: [...state.objects, second] });
    expect(violations).toEqual([
      { invariant: 'nothing-duplicated', ids: [A], message: `2 processed objects for one image: processed/${A}.jpg, ${second.key}` },
    ]);
  });

  it('flags an orphan processed object (no processed item points at it)', () => {
    const { history, state } = cleanRun([A, B]);
    const uploadedB = { ...processedItem(B), state: 'uploaded', version: 1, processedS3Key: undefined };
    const objects = [...state.objects.filter((o) => !o.key.startsWith('processed/' + B)), object(`processed/1735732800999-${B}.jpg`), object('processed/whatever.jpg')];
    const violations = nothingDuplicated(history, finalState([processedItem(A), uploadedB], objects));
    expect(violations).toEqual([
      { invariant: 'nothing-duplicated', ids: [B], message: `orphan processed object processed/1735732800999-${B}.jpg (its image is uploaded)` },
      { invariant: 'nothing-duplicated', ids: [], message: 'orphan processed object processed/whatever.jpg (no item names it)' },
    ]);
  });

  it('flags an id whose create was answered 201 Created twice', () => {
    const history = [...journey(A), event({ op: 'create', id: A, status: 201, start: Date.parse('2025-01-01T12:00:05Z'), version: 0, state: 'created' })];
    expect(nothingDuplicated(history, finalState([processedItem(A)]))).toEqual([
      { invariant: 'nothing-duplicated', ids: [A], message: 'create answered 201 Created 2 times' },
    ]);
  });

  it('flags the same id twice in the scan', () => {
    const { history } = cleanRun([C]);
    const item = processedItem(C);
    expect(nothingDuplicated(history, finalState([item, { ...item, version: 3 }], objectsOf(item)))).toEqual([
      { invariant: 'nothing-duplicated', ids: [C], message: '2 items with this id' },
    ]);
  });
});
