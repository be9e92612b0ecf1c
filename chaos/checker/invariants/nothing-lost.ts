import { rawKeyOf } from '@imagery/domain';
import type { HistoryEvent } from '../../history/history-event';
import type { FinalState, StoredItem } from '../final-state';
import { eventsById, isAcknowledged } from '../history-index';
import type { Invariant, InvariantOptions, Violation } from '../violation';

/** Bad uploads that, once (wrongly) acknowledged, can only end `failed`. */
const UNDECODABLE = new Set<HistoryEvent['bad']>(['not-an-image', 'truncated']);

/**
 * 1. Nothing lost. For every id:
 *  - an acknowledged (2xx) create has an item at the end;
 *  - an acknowledged upload ends `processed` with its processedS3Key set and that object present
 *    (or `failed` with a reason, only when the upload is expected undecodable: every acknowledged
 *    upload of the id was bad on purpose as not-an-image/truncated, or the id is in expectedFailed);
 *  - its rawS3Key is upload/<id>/<sha256> for the sha256 of an acknowledged upload of that id
 *    (the item holds the bytes the client was told were stored), and that raw object exists.
 */
export const nothingLost: Invariant = (history, state, options = {}) => {
  const items = new Map(state.items.map((item) => [item.id, item]));
  const keys = new Set(state.objects.map((o) => o.key));
  const violations: Violation[] = [];
  for (const [id, events] of eventsById(history)) {
    const lost = (message: string) => violations.push({ invariant: 'nothing-lost', ids: [id], message });
    const item = items.get(id);
    const uploads = events.filter((e) => e.op === 'upload' && isAcknowledged(e));
    if (uploads.length === 0) {
      if (!item && events.some((e) => e.op === 'create' && isAcknowledged(e))) lost('create acknowledged, but there is no item');
      continue;
    }
    if (!item) {
      lost(`upload acknowledged (${uploads[0].status}), but there is no item`);
      continue;
    }
    checkOutcome(item, uploads, keys, options, lost);
    checkRawKey(item, uploads, keys, lost);
  }
  return violations;
};

function checkOutcome(
  item: StoredItem,
  uploads: HistoryEvent[],
  keys: ReadonlySet<string>,
  options: InvariantOptions,
  lost: (message: string) => void,
): void {
  const undecodable = options.expectedFailed?.has(item.id) || uploads.every((u) => UNDECODABLE.has(u.bad));
  if (item.state === 'processed') {
    if (!item.processedS3Key) lost(`processed (v${item.version}) but has no processedS3Key`);
    else if (!keys.has(item.processedS3Key)) lost(`processed (v${item.version}) but its object ${item.processedS3Key} does not exist`);
  } else if (item.state === 'failed') {
    const reason = item.failureReason ?? 'no reason';
    if (!undecodable) lost(`upload acknowledged, but the image ended failed (${reason}) although it was a valid image`);
    else if (!item.failureReason) lost('ended failed without a failureReason');
  } else {
    lost(`upload acknowledged, but the image ended ${item.state ?? 'without a state'} (v${item.version}), not processed`);
  }
}

function checkRawKey(item: StoredItem, uploads: HistoryEvent[], keys: ReadonlySet<string>, lost: (message: string) => void): void {
  const hashes = [...new Set(uploads.flatMap((u) => (u.sha256 ? [u.sha256] : [])))];
  if (hashes.length === 0) return; // the history did not record the bytes: nothing to compare
  const expected = hashes.map((h) => rawKeyOf(item.id, h));
  if (item.rawS3Key && !/\/[0-9a-f]{64}$/.test(item.rawS3Key)) {
    // Not content-addressed (e.g. the naive build's timestamped keys): the key proves nothing about
    // the bytes, so only require the object to exist; the sepia sample still compares contents.
    if (!keys.has(item.rawS3Key)) lost(`the uploaded object ${item.rawS3Key} does not exist`);
    return;
  }
  if (!item.rawS3Key || !expected.includes(item.rawS3Key)) {
    lost(`rawS3Key ${item.rawS3Key ?? '(none)'} does not name an acknowledged upload's bytes (expected ${expected.join(' or ')})`);
  } else if (!keys.has(item.rawS3Key)) {
    lost(`the uploaded object ${item.rawS3Key} does not exist`);
  }
}
