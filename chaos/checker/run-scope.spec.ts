import { runScopeOf, scopeFinalState, imageIdOfKey } from './run-scope';
import { IDS, T0, apiFault, cleanRun, completeHistory, finalState, journey, object, objectsOf, processedItem } from './test/run-builder';

describe('the run scope', () => {
  const [A, B, C, D] = IDS;
  const OLD = '9f9f9f9f-6c1e-4d8b-9a55-1f1d2c3b4a99';

  it('is the ids the history names (faults included) and its workload start', () => {
    const history = completeHistory([...journey(A), apiFault(T0 + 50, { imageId: B })]);
    const scope = runScopeOf(history);
    expect([...scope.ids].sort()).toEqual([A, B].sort());
    expect(scope.startedAt).toBe(T0 - 100);
  });

  it("keeps the run's items whatever their age, anything created since the start, and drops earlier runs'", () => {
    const old = processedItem(OLD, { createdAt: T0 - 60_000 });
    const oldButOurs = processedItem(A, { createdAt: T0 - 60_000 });
    const stranger = processedItem(C, { createdAt: T0 + 5_000 });
    const state = {
      ...finalState([old, oldButOurs, stranger]),
      objects: [
        ...[old, oldButOurs, stranger].flatMap(objectsOf).map((o) => ({ ...o, lastModified: T0 - 60_000 })),
        { ...object(`processed/${D}-123.jpg`), lastModified: T0 + 1_000 }, // new, no item: an orphan of this run
        { ...object('processed/stray.jpg'), lastModified: T0 - 60_000 }, // old junk
      ],
      deadLetter: { visible: 3, inFlight: 0, messages: [JSON.stringify({ imageId: OLD }), JSON.stringify({ imageId: C }), 'garbage'] },
    };
    const scoped = scopeFinalState(state, { ids: new Set([A]), startedAt: T0 });
    expect(scoped.items.map((i) => i.id)).toEqual([A, C]);
    expect(scoped.objects.map((o) => o.key).sort()).toEqual([...objectsOf(oldButOurs), ...objectsOf(stranger)].map((o) => o.key).concat(`processed/${D}-123.jpg`).sort());
    expect(scoped.deadLetter).toEqual({ visible: 3, inFlight: 0, messages: [JSON.stringify({ imageId: C })], ignored: 2 });
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
    expect(scopeFinalState(state, runScopeOf(history))).toEqual({ ...state, deadLetter: { ...state.deadLetter, ignored: 0 } });
  });
});
