import { processedKeyOf, rawKeyOf } from '@imagery/domain';
import { sepiaOf } from '@imagery/testing/domain';
import { checkHistory } from './check-history';
import { baselineOf } from './store-baseline';
import { runScopeOf, scopeFinalState } from './run-scope';
import {
  IDS,
  T0,
  cleanRun,
  completeHistory,
  fakeObjects,
  finalState,
  journey,
  object,
  objectsOf,
  processedItem,
  rawBytesOf,
  shaOf,
  uploadedItem,
} from '@imagery/testing/checker/run-builder';

/**
 * Issue 14, soft spots 1–3: a run is judged on what changed during it (not on timestamps the build
 * writes), every object an item names is its own, and content checks hold whatever the key scheme.
 * Each case here passed (or was out of reach of) the checker before.
 */
describe('scope by what changed, outputs tied to their item, content whatever the keys', () => {
  const [A, B, C] = IDS;
  const OLD = '9f9f9f9f-6c1e-4d8b-9a55-1f1d2c3b4a99';
  const HOUR = 3_600_000;

  /** A clean run of A and B on a platform where OLD (an earlier run's image) already existed. */
  function sharedPlatform() {
    const { history, state } = cleanRun([A, B]);
    const old = processedItem(OLD, { createdAt: T0 - HOUR, updatedAt: T0 - HOUR });
    const before = finalState([old]);
    return { history, state: { ...state, items: [...state.items, old], objects: [...state.objects, ...objectsOf(old)] }, before, old };
  }

  const judge = async (
    history: Parameters<typeof runScopeOf>[0],
    state: ReturnType<typeof finalState>,
    before: ReturnType<typeof finalState>,
    overrides = {},
  ) => checkHistory(history, scopeFinalState(state, runScopeOf(history, baselineOf(before))), fakeObjects(overrides));

  const found = (r: Awaited<ReturnType<typeof checkHistory>>) => r.violations.map((v) => [v.invariant, v.ids]);

  describe('1. scope follows what changed', () => {
    it('leaves an earlier image that did not change out, whatever its timestamps', async () => {
      const { history, state, before } = sharedPlatform();
      const result = await judge(history, state, before);
      expect(result.violations).toEqual([]);
      expect(result.stats.items).toBe(2);
    });

    it('judges an earlier image changed during the run by nobody in the history (rolled back to uploaded)', async () => {
      const { history, state, before, old } = sharedPlatform();
      const touched = {
        ...state,
        items: state.items.map((i) => (i.id === OLD ? uploadedItem(OLD, { version: 3, createdAt: old.createdAt }) : i)),
      };
      expect(found(await judge(history, touched, before))).toEqual(
        expect.arrayContaining([
          ['every-image-ends', [OLD]],
          ['monotonic', [OLD]],
        ]),
      );
    });

    it('judges an earlier image whose version went backwards during the run', async () => {
      const { history, state, before } = sharedPlatform();
      const rolledBack = { ...state, items: state.items.map((i) => (i.id === OLD ? { ...i, version: 1 } : i)) };
      expect(found(await judge(history, rolledBack, before))).toEqual([['monotonic', [OLD]]]);
    });

    it('accepts another actor finishing an earlier image (the sweep): a change is not an error by itself', async () => {
      const { history, state } = sharedPlatform();
      const before = finalState([uploadedItem(OLD, { createdAt: T0 - HOUR })]);
      const result = await judge(history, state, before);
      expect(result.violations).toEqual([]);
      expect(result.stats.items).toBe(3);
    });

    it('reports an earlier image that vanished during the run', async () => {
      const { history, state, before } = sharedPlatform();
      const gone = { ...state, items: state.items.filter((i) => i.id !== OLD), objects: state.objects.filter((o) => !o.key.includes(OLD)) };
      const result = await judge(history, gone, before);
      expect(found(result)).toEqual([['every-image-ends', [OLD]]]);
      expect(result.violations[0].message).toMatch(/existed when the run started .* is gone/);
    });

    it('judges a new item nobody asked for even when the build back-dates it', async () => {
      const { history, state, before } = sharedPlatform();
      const forged = processedItem(C, { createdAt: T0 - 2 * HOUR, updatedAt: T0 - 2 * HOUR });
      const result = await judge(
        history,
        { ...state, items: [...state.items, forged], objects: [...state.objects, ...objectsOf(forged)] },
        before,
      );
      expect(found(result)).toEqual([['nothing-duplicated', [C]]]);
    });

    it('judges an earlier image whose processed object was overwritten during the run (its ETag changed)', async () => {
      const { history, state, before } = sharedPlatform();
      const key = processedKeyOf(OLD);
      const overwritten = { ...state, objects: state.objects.map((o) => (o.key === key ? { ...o, etag: '"other"' } : o)) };
      expect(found(await judge(history, overwritten, before, { [key]: Buffer.from('not sepia') }))).toEqual([['sepia', [OLD]]]);
    });
  });

  describe('2. outputs tied to their item', () => {
    it("catches an item pointing at another item's processed object of the same fixture", async () => {
      const { history, state } = cleanRun([A, B]);
      // Same fixture: B's processed object is a sepia rendering of A's bytes too.
      const sameFixture = { [rawKeyOf(B, shaOf(B))]: rawBytesOf(A), [processedKeyOf(B)]: sepiaOf(rawBytesOf(A)) };
      const borrowed = {
        ...state,
        items: state.items.map((i) => (i.id === A ? { ...i, processedS3Key: processedKeyOf(B) } : i)),
        objects: state.objects.filter((o) => o.key !== processedKeyOf(A)),
      };
      const result = await checkHistory(history, borrowed, fakeObjects(sameFixture));
      expect(found(result)).toEqual(expect.arrayContaining([['objects-owned', [A]]]));
      expect(result.violations.find((v) => v.invariant === 'objects-owned')?.message).toMatch(/processed object .* names another image/);
    });

    it('catches one object claimed by two items', async () => {
      const { history, state } = cleanRun([A, B]);
      const shared = { ...state, items: state.items.map((i) => (i.id === B ? { ...i, rawS3Key: rawKeyOf(A, shaOf(A)) } : i)) };
      const result = await checkHistory(history, shared, fakeObjects());
      expect(result.violations.filter((v) => v.invariant === 'objects-owned').map((v) => v.ids)).toEqual(
        expect.arrayContaining([[B], [A, B]]),
      );
    });

    it('catches a raw key outside the raw prefix', async () => {
      const { history, state } = cleanRun([A]);
      const elsewhere = `tmp/${A}`;
      const moved = {
        ...state,
        items: state.items.map((i) => ({ ...i, rawS3Key: elsewhere })),
        objects: [...state.objects.filter((o) => !o.key.startsWith('upload/')), object(elsewhere)],
      };
      expect(found(await checkHistory(history, moved, fakeObjects({ [elsewhere]: rawBytesOf(A) })))).toEqual(
        expect.arrayContaining([['objects-owned', [A]]]),
      );
    });
  });

  describe('3. content checks whatever the key scheme', () => {
    it('a processed item needs its raw object: no rawS3Key is a violation, not a skipped check', async () => {
      const { history, state } = cleanRun([A]);
      const noRaw = {
        ...state,
        items: state.items.map((i) => ({ ...i, rawS3Key: undefined })),
        objects: state.objects.filter((o) => !o.key.startsWith('upload/')),
      };
      expect(found(await checkHistory(history, noRaw, fakeObjects()))).toEqual([['objects-exist', [A]]]);
    });

    it('compares raw bytes under a timestamped key with what the client uploaded', async () => {
      const { history, state } = cleanRun([A]);
      const key = `upload/${A}-1735732800123`;
      const seedKeys = {
        ...state,
        items: state.items.map((i) => ({ ...i, rawS3Key: key })),
        objects: [...state.objects.filter((o) => !o.key.startsWith('upload/')), object(key)],
      };
      const other = Buffer.from('bytes nobody sent');
      const result = await checkHistory(history, seedKeys, fakeObjects({ [key]: other, [processedKeyOf(A)]: sepiaOf(other) }));
      expect(found(result)).toEqual([['raw-matches-key', [A]]]);
      expect(result.violations[0].message).toMatch(/bytes no client uploaded/);
    });

    it('passes the same timestamped key holding the uploaded bytes (no false FAIL)', async () => {
      const history = completeHistory(journey(A));
      const key = `upload/${A}-1735732800123`;
      const state = finalState([processedItem(A, { rawS3Key: key })]);
      const result = await checkHistory(history, state, fakeObjects({ [key]: rawBytesOf(A) }));
      expect(result.violations).toEqual([]);
      expect(result.stats.rawHashed).toBe(1);
    });
  });
});
