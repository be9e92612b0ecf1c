import { processedKeyOf } from '@imagery/domain';
import type { HistoryEntry } from '@imagery/history/history-entry';
import { withProvenance } from './provenance';
import { describeEarlyViolations, earlyViolations, type LiveState } from './early-violations';
import {
  IDS,
  T0,
  apiFault,
  attempt,
  cleanRun,
  finalState,
  journey,
  object,
  processedItem,
  shaOf,
  uploadedItem,
} from '@imagery/testing/checker/run-builder';

describe('earlyViolations (the streaming check: invariants broken for good while the run goes on)', () => {
  const [A, B, C] = IDS;
  const live = (
    items: LiveState['items'],
    objects: string[] = items.filter((i) => i.processedS3Key).map((i) => i.processedS3Key as string),
  ): LiveState => ({
    items,
    objects: objects.map((k) => object(k)),
  });
  /** create and upload acknowledged (the upload's 200 at T0 + 40), nothing read since. */
  const uploadedAt = (id: string, at = T0): HistoryEntry[] => [
    ...attempt({ op: 'create', id, at, type: 'ok', version: 0, state: 'created' }),
    ...attempt({ op: 'upload', id, at: at + 20, took: 20, type: 'ok', version: 1, state: 'uploaded', sha256: shaOf(id) }),
  ];

  it('finds nothing in a clean run', () => {
    const { history, state } = cleanRun();
    expect(earlyViolations(history, live(state.items))).toEqual([]);
  });

  it('finds nothing in a run still going: uploads within the bound, creates and uploads in flight or unanswered', () => {
    const history = [
      ...uploadedAt(A),
      ...attempt({ op: 'create', id: B, at: T0, type: 'open' }), // no answer yet: its item may come
      ...attempt({ op: 'create', id: C, at: T0, type: 'ok', version: 0, state: 'created' }),
      // Maybe applied, maybe not:
      ...attempt({ op: 'upload', id: C, at: T0 + 30, type: 'info', status: 0, error: 'timeout', sha256: shaOf(C) }),
    ];
    expect(earlyViolations(history, live([uploadedItem(A), { id: C, version: 0, state: 'created' }]))).toEqual([]);
  });

  it('ignores objects and items of ids this run never named (another run on the same platform)', () => {
    const other = '4fa0b1c2-0000-4000-8000-000000000005';
    const { history, state } = cleanRun([A]);
    const found = earlyViolations(
      history,
      live([...state.items, uploadedItem(other)], [processedKeyOf(A), `processed/${other}-1.png`, `processed/${other}-2.png`]),
    );
    expect(found).toEqual([]);
  });

  it('flags a second processed object for one image; the whole history then gives its provenance', () => {
    const history = [
      ...journey(A),
      apiFault(T0 + 500, { operation: 'UpdateItem', fault: 'ambiguous', imageId: A, instance: 'i-worker-1-1' }),
    ];
    const second = `processed/${A}-1735732800123.png`;
    const state = live([processedItem(A)], [processedKeyOf(A), second]);
    const found = earlyViolations(history, state);
    expect(found).toEqual([
      { invariant: 'nothing-duplicated', ids: [A], message: `2 processed objects for one image: ${second}, ${processedKeyOf(A)}` },
    ]);
    const [violation] = withProvenance(found, { history, state: finalState([...state.items], [...state.objects]), options: {} });
    expect(violation.message.startsWith(`${found[0].message}; `)).toBe(true);
    expect(violation.message).toMatch(/ambiguous.*UpdateItem|UpdateItem.*ambiguous/);
    expect(violation.provenance?.image).toBe(A);
    expect(violation.provenance?.operations.map((o) => o.op)).toEqual(['create', 'upload', 'get', 'get']);
    expect(violation.provenance?.objects.map((o) => o.key).sort()).toEqual([second, processedKeyOf(A)].sort());
    expect(violation.provenance?.faults.map((f) => f.how)).toEqual(['image']);
  });

  const stayingUploaded =
    'never flags an image for staying `uploaded`, however long: a fault or a backlog may hold it, the repair sweep may still finish it';
  it(stayingUploaded, () => {
    const history = [...uploadedAt(A), ...uploadedAt(B, T0 + 1_000)];
    expect(earlyViolations(history, live([uploadedItem(A), uploadedItem(B)]))).toEqual([]);
  });

  it('flags an item gone after its create was acknowledged', () => {
    const history = attempt({ op: 'create', id: A, at: T0 + 1_000, type: 'ok', version: 0, state: 'created' });
    const found = earlyViolations(history, live([]));
    expect(found.map((v) => [v.invariant, v.ids, v.message])).toEqual([
      ['acknowledged-durable', [A], 'the item is gone after its create was acknowledged at 0 s'],
    ]);
  });

  it('flags an item back to `created` after its upload was acknowledged', () => {
    const found = earlyViolations(uploadedAt(A), live([{ id: A, version: 0, state: 'created' }]));
    expect(found.map((v) => [v.invariant, v.message])).toEqual([
      ['acknowledged-durable', 'the item is back to `created` (v0) after its upload was acknowledged at 0 s'],
    ]);
  });

  it('says the first violation in one line for the alarm, counting the others', () => {
    const history = [...uploadedAt(A), ...uploadedAt(B)];
    const found = earlyViolations(
      history,
      live([
        { id: A, version: 0, state: 'created' },
        { id: B, version: 0, state: 'created' },
      ]),
    );
    expect(found).toHaveLength(2);
    expect(describeEarlyViolations(found)).toMatch(
      new RegExp(`^acknowledged-durable: image ${A}: the item is back to \`created\` \\(v0\\) after .*\\(and 1 more\\)$`),
    );
  });
});
