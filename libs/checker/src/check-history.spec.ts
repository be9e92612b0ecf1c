import { processedKeyOf, rawKeyOf } from '@imagery/domain';
import { checkHistory } from './check-history';
import { scopeFinalState, runScopeOf } from './run-scope';
import { baselineOf } from './store-baseline';
import {
  IDS,
  T0,
  apiFault,
  attempt,
  cleanRun,
  completeHistory,
  fakeObjects,
  finalState,
  journey,
  nemesis,
  object,
  processedItem,
  shaOf,
  uploadedItem,
} from '@imagery/testing/checker/run-builder';

/**
 * The whole checker, and the false-PASS / false-FAIL cases: each of these passed the old
 * checker (or failed a correct run) and is caught (or passed) now.
 */
describe('checkHistory', () => {
  const [A, B, C, D] = IDS;

  it('passes a clean run, reading every object, and counts it', async () => {
    const { history, state } = cleanRun();
    const result = await checkHistory(history, state, fakeObjects());
    expect(result).toMatchObject({ ok: true, violations: [], skipped: [] });
    expect(result.stats).toMatchObject({
      operations: 16,
      ok: 16,
      open: 0,
      journeys: 4,
      acknowledgedUploads: 4,
      processed: 4,
      rawObjects: 4,
      rawHashed: 4,
      sepiaChecked: 4,
      queueLeft: 0,
      deadLetters: 0,
    });
  });

  it('says which object checks it skipped without a way to read objects', async () => {
    const { history, state } = cleanRun();
    expect(await checkHistory(history, state)).toMatchObject({
      ok: true,
      skipped: ['raw-matches-key', 'sepia'],
      stats: { sepiaChecked: 0, rawHashed: 0 },
    });
  });

  describe('false PASS, now caught', () => {
    /** A's upload was applied, then the API crashed; every retry failed: no client saw a 2xx. */
    const unacknowledged = () =>
      completeHistory([
        ...journey(B, T0 + 5, 2),
        ...attempt({ op: 'create', id: A, at: T0, type: 'ok', version: 0, state: 'created' }),
        ...attempt({
          op: 'upload',
          id: A,
          at: T0 + 20,
          took: 100,
          type: 'info',
          status: 0,
          error: 'ECONNRESET',
          sha256: shaOf(A),
          requestId: 'up-1',
        }),
        apiFault(T0 + 60, { requestId: 'up-1', imageId: A }),
        ...attempt({ op: 'upload', id: A, at: T0 + 200, attempt: 2, type: 'info', status: 503, sha256: shaOf(A), requestId: 'up-2' }),
      ]);

    it('an item left `uploaded` with no 2xx seen', async () => {
      const result = await checkHistory(unacknowledged(), finalState([uploadedItem(A), processedItem(B)]), fakeObjects());
      expect(result.ok).toBe(false);
      expect(result.violations.map((v) => [v.invariant, v.ids])).toEqual([['every-image-ends', [A]]]);
    });

    it('a `processed` item whose object is missing, no 2xx seen', async () => {
      const item = processedItem(A);
      const result = await checkHistory(
        unacknowledged(),
        finalState([item, processedItem(B)], [object(item.rawS3Key!), ...finalState([processedItem(B)]).objects]),
        fakeObjects(),
      );
      expect(result.violations.map((v) => [v.invariant, v.ids])).toEqual([['objects-exist', [A]]]);
    });

    it('a raw object whose bytes do not match its key', async () => {
      const { history, state } = cleanRun();
      const result = await checkHistory(history, state, fakeObjects({ [rawKeyOf(C, shaOf(C))]: Buffer.from('swapped') }));
      expect(result.violations.map((v) => [v.invariant, v.ids])).toEqual([
        ['raw-matches-key', [C]],
        // the processed object is no rendering of the bytes actually stored either
        ['sepia', [C]],
      ]);
    });

    it('a processed object that is not sepia — any one of all of them', async () => {
      const { history, state } = cleanRun();
      const result = await checkHistory(history, state, fakeObjects({ [processedKeyOf(D)]: Buffer.from('a copy of the original') }));
      expect(result.violations.map((v) => [v.invariant, v.ids])).toEqual([['sepia', [D]]]);
      expect(result.stats.sepiaChecked).toBe(4);
    });

    it('a second processed object, and an orphan object', async () => {
      const { history, state } = cleanRun();
      const objects = [...state.objects, object(`processed/${A}-1735732800123.jpg`), object('processed/stray.jpg')];
      const result = await checkHistory(history, { ...state, objects }, fakeObjects());
      expect(result.violations.map((v) => [v.invariant, v.ids, v.message.split(';')[0]])).toEqual([
        ['nothing-duplicated', [A], `2 processed objects for one image: processed/${A}.jpg, processed/${A}-1735732800123.jpg`],
        ['nothing-duplicated', [], 'object processed/stray.jpg without an item (its key names no image)'],
      ]);
    });
  });

  describe('false FAIL, now passed', () => {
    it('an old dead letter from an earlier run on the same platform is ignored', async () => {
      const { history, state } = cleanRun();
      const old = '9f9f9f9f-6c1e-4d8b-9a55-1f1d2c3b4a99';
      const platform = {
        ...state,
        items: [
          ...state.items,
          processedItem(old, { createdAt: T0 - 3_600_000, state: 'failed', processedS3Key: undefined, failureReason: 'x' }),
        ],
        deadLetter: { visible: 1, inFlight: 0, messages: [JSON.stringify({ imageId: old })] },
      };
      // the earlier image was there, unchanged, when the run started
      const scoped = scopeFinalState(platform, runScopeOf(history, baselineOf({ items: platform.items.slice(4), objects: [] })));
      expect(scoped.deadLetter).toEqual({ visible: 1, inFlight: 0, messages: [], ignored: 1 });
      const result = await checkHistory(history, scoped, fakeObjects());
      expect(result.ok).toBe(true);
      expect(result.stats).toMatchObject({ deadLetters: 0, deadLettersIgnored: 1, items: 4 });
    });

    it("but this run's own dead letter still fails it", async () => {
      const { history, state } = cleanRun();
      const platform = { ...state, deadLetter: { visible: 1, inFlight: 0, messages: [JSON.stringify({ imageId: B })] } };
      const result = await checkHistory(history, scopeFinalState(platform, runScopeOf(history)), fakeObjects());
      expect(result.violations.map((v) => [v.invariant, v.ids])).toEqual([['drained', [B]]]);
    });
  });

  describe('provenance', () => {
    /**
     * A: a create, an upload cut by a crash after UpdateItem (during a crash-api action) and its
     * acknowledged retry; B: processed, with an injected fault naming it.
     */
    const crashedUploadHistory = () =>
      completeHistory([
        nemesis(T0 - 20, {
          kind: 'fis-action',
          phase: 'start',
          experimentId: 'EXP1',
          action: 'crash-api',
          actionId: 'local:process:crash-at',
        }),
        ...attempt({ op: 'create', id: A, at: T0, type: 'ok', version: 0, state: 'created' }),
        ...attempt({
          op: 'upload',
          id: A,
          at: T0 + 12_000,
          took: 300,
          type: 'info',
          status: 0,
          error: 'ECONNRESET',
          sha256: shaOf(A),
          requestId: 'r-1',
        }),
        apiFault(T0 + 12_200, { requestId: 'r-1', instance: 'i-api-1-1', operation: 'UpdateItem', fault: 'crash', when: 'after' }),
        nemesis(T0 + 12_250, { kind: 'instance', phase: 'died', instance: 'i-api-1-1', role: 'api', slot: 1, generation: 0 }),
        ...attempt({
          op: 'upload',
          id: A,
          at: T0 + 12_500,
          attempt: 2,
          type: 'ok',
          version: 1,
          state: 'uploaded',
          sha256: shaOf(A),
          requestId: 'r-2',
        }),
        nemesis(T0 + 20_000, {
          kind: 'fis-action',
          phase: 'end',
          experimentId: 'EXP1',
          action: 'crash-api',
          actionId: 'local:process:crash-at',
        }),
        ...journey(B, T0 + 30_000, 2),
        apiFault(T0 + 30_500, {
          imageId: B,
          instance: 'i-worker-1-1',
          service: 'sqs',
          operation: 'DeleteMessage',
          fault: 'internal-error',
          when: undefined,
        }),
      ]);

    it('names the image, its operations, final item, objects, and the faults that touched it', async () => {
      const history = crashedUploadHistory();
      // the history starts 100 ms before T0 (the workload's start): 12.2 s after T0 is 12.3 s
      const result = await checkHistory(history, finalState([uploadedItem(A), processedItem(B)]), fakeObjects());
      expect(result.violations).toHaveLength(1);
      const [v] = result.violations;
      expect(v.message).toBe(
        'acknowledged upload (attempt 2, after an `info`) stuck in `uploaded` (v1); ' +
          'faults on its requests: crash after UpdateItem on i-api-1-1 at 12.3 s; ' +
          'during its operations: FIS action crash-api (local:process:crash-at) 0.1–20.1 s, i-api-1-1 died at 12.4 s',
      );
      expect(v.provenance).toMatchObject({
        image: A,
        item: { id: A, state: 'uploaded' },
        objects: [{ key: rawKeyOf(A, shaOf(A)), size: 1_000 }],
        operations: [
          { op: 'create', attempt: 1, type: 'ok', status: 201 },
          { op: 'upload', attempt: 1, type: 'info', status: 0, error: 'ECONNRESET', requestId: 'r-1', latencyMs: 300 },
          { op: 'upload', attempt: 2, type: 'ok', status: 200, requestId: 'r-2' },
        ],
        lastOperationAt: T0 + 12_510,
      });
      expect(v.provenance!.faults.map((f) => f.how)).toEqual(['request', 'overlap', 'overlap']);
    });

    it('says so when no fault touched the image', async () => {
      const history = completeHistory(journey(A).slice(0, 6)); // create, upload, a poll that sees uploaded
      const result = await checkHistory(history, finalState([uploadedItem(A)]));
      expect(result.violations.map((v) => v.message)).toEqual([
        'acknowledged upload (attempt 1) stuck in `uploaded` (v1); no fault touched it',
      ]);
    });
  });
});
