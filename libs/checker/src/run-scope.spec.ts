import { runScopeOf, scopeFinalState, imageIdOfKey } from './run-scope';
import { baselineOf } from './store-baseline';
import {
  IDS,
  T0,
  apiFault,
  cleanRun,
  completeHistory,
  finalState,
  journey,
  object,
  objectsOf,
  processedItem,
} from '@imagery/testing/checker/run-builder';

describe('the run scope', () => {
  const [A, B, C, D] = IDS;
  const OLD = '9f9f9f9f-6c1e-4d8b-9a55-1f1d2c3b4a99';

  it('is the ids the history names (faults included)', () => {
    const history = completeHistory([...journey(A), apiFault(T0 + 50, { imageId: B })]);
    expect([...runScopeOf(history).ids].sort()).toEqual([A, B].sort());
  });

  it("keeps the run's items, anything new or changed since its start, and drops what did not change, whatever the timestamps", () => {
    const old = processedItem(OLD, { createdAt: T0 + 60_000 }); // a timestamp that lies: unchanged, so left out
    const oldButOurs = processedItem(A, { createdAt: T0 - 60_000 });
    const stranger = processedItem(C, { createdAt: T0 - 60_000 }); // new, back-dated: still in
    const before = baselineOf(finalState([old, oldButOurs], [...[old, oldButOurs].flatMap(objectsOf), object('processed/stray.jpg')]));
    const state = {
      ...finalState([old, oldButOurs, stranger]),
      objects: [...[old, oldButOurs, stranger].flatMap(objectsOf), object(`processed/${D}-123.jpg`), object('processed/stray.jpg')],
      deadLetter: { visible: 3, inFlight: 0, messages: [JSON.stringify({ imageId: OLD }), JSON.stringify({ imageId: C }), 'garbage'] },
    };
    const scoped = scopeFinalState(state, { ids: new Set([A]), baseline: before });
    expect(scoped.items.map((i) => i.id)).toEqual([A, C]);
    expect(scoped.objects.map((o) => o.key).sort()).toEqual(
      [...objectsOf(oldButOurs), ...objectsOf(stranger)]
        .map((o) => o.key)
        .concat(`processed/${D}-123.jpg`)
        .sort(),
    );
    expect(scoped.deadLetter).toEqual({ visible: 3, inFlight: 0, messages: [JSON.stringify({ imageId: C })], ignored: 2 });
    expect([...scoped.before!.preexisting.keys()]).toEqual([A]);
  });

  it('brings in the image of an object that changed or went away, and an item that went away', () => {
    const [a, b, c] = [A, B, C].map((id) => processedItem(id));
    const before = baselineOf(finalState([a, b, c]));
    const state = finalState([a, b], [...objectsOf(a).map((o) => ({ ...o, etag: '"new"' })), ...objectsOf(b).slice(1)]);
    const scoped = scopeFinalState(state, { ids: new Set(), baseline: before });
    expect(scoped.items.map((i) => i.id)).toEqual([A, B]);
    expect([...scoped.before!.vanished.keys()]).toEqual([C]);
  });

  it('without a baseline judges the whole state', () => {
    const { history, state } = cleanRun();
    const platform = { ...state, items: [...state.items, processedItem(OLD)] };
    expect(scopeFinalState(platform, runScopeOf(history)).items).toHaveLength(5);
  });

  it('reads the image id out of every key shape', () => {
    expect(imageIdOfKey(`upload/${A}/${'a'.repeat(64)}`)).toBe(A);
    expect(imageIdOfKey(`upload/${A}-1735732800123`)).toBe(A);
    expect(imageIdOfKey(`processed/${A}.jpg`)).toBe(A);
    expect(imageIdOfKey(`processed/${A}-1735732800123.png`)).toBe(A);
    expect(imageIdOfKey('processed/stray.jpg')).toBeUndefined();
    expect(imageIdOfKey(`other/${A}`)).toBeUndefined();
  });

  it('a clean run stays whole', () => {
    const { history, state } = cleanRun();
    expect(scopeFinalState(state, runScopeOf(history, baselineOf(finalState([]))))).toMatchObject({
      ...state,
      deadLetter: { ...state.deadLetter, ignored: 0 },
    });
  });
});
