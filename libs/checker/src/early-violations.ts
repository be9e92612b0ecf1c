import { PROCESSED_PREFIX } from '@imagery/domain';
import type { HistoryEntry } from '@imagery/history/history-entry';
import type { StoredItem, StoredObject } from './stored-state';
import { indexHistory, isOk, type Operation } from './history-index';
import { imageIdOfKey } from './run-scope';
import type { Violation } from './violation';

/**
 * The invariants a run can be seen to have broken *while it runs*, which no later step can heal
 * (the streaming check raises the `imagery-invariant-violated` stop condition on them):
 *  - a second object under processed/ for one image (nothing deletes a processed object);
 *  - an acknowledged create whose item is gone, an acknowledged upload whose item is `created`.
 * Everything else may still come right, so it is left to the checker after the drain. That
 * includes an image `uploaded` for long: while a dependency is down, or a backlog waits in the
 * queue, nothing can finish it, and once they are back the retries and the repair sweep (which
 * also re-enqueues dead letters) still can. A time bound there failed healthy runs whose faults
 * simply lasted longer than the bound.
 *
 * Violations come bare (no provenance): the nemesis side of the history is only whole after the
 * run, when the runner adds it (withProvenance) for the report.
 *
 * The history must have been read *before* the state: every acknowledgement in it then happened
 * before the state was read, so a missing item is really missing, not not-yet-written.
 */
export interface LiveState {
  /** The items of the history's ids (a strongly consistent read). */
  readonly items: readonly StoredItem[];
  /** The objects under processed/ (others are ignored). */
  readonly objects: readonly StoredObject[];
}

export function earlyViolations(history: readonly HistoryEntry[], live: LiveState): Violation[] {
  const index = indexHistory(history);
  const items = new Map(live.items.map((i) => [i.id, i]));
  const processed = new Map<string, string[]>();
  for (const o of live.objects) {
    const id = o.key.startsWith(PROCESSED_PREFIX) ? imageIdOfKey(o.key) : undefined;
    if (id && index.byId.has(id)) processed.set(id, [...(processed.get(id) ?? []), o.key]);
  }
  const violations: Violation[] = [];
  for (const [id, ops] of index.byId) {
    const item = items.get(id);
    const keys = processed.get(id) ?? [];
    if (keys.length > 1)
      violations.push({
        invariant: 'nothing-duplicated',
        ids: [id],
        message: `${keys.length} processed objects for one image: ${[...keys].sort().join(', ')}`,
      });
    const created = lastAck(ops, 'create');
    const uploaded = lastAck(ops, 'upload');
    if (created && !item) {
      violations.push({
        invariant: 'acknowledged-durable',
        ids: [id],
        message: `the item is gone after its create was acknowledged at ${seconds(created, index.origin)} s`,
      });
    } else if (uploaded && item?.state === 'created') {
      violations.push({
        invariant: 'acknowledged-durable',
        ids: [id],
        message:
          `the item is back to \`created\` (v${item.version}) ` +
          `after its upload was acknowledged at ${seconds(uploaded, index.origin)} s`,
      });
    }
  }
  return violations;
}

/** When the latest acknowledgement of this op came. */
function lastAck(ops: readonly Operation[], op: 'create' | 'upload'): number | undefined {
  const times = ops.filter((o) => o.invoke.op === op && isOk(o)).map((o) => o.completion!.time);
  return times.length ? Math.max(...times) : undefined;
}

const seconds = (t: number, origin: number) => Math.round((t - origin) / 100) / 10;

/** One line for the alarm's state reason (and the experiment's stop reason). */
export function describeEarlyViolations(violations: readonly Violation[]): string {
  const [first] = violations;
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
  return `${first.invariant}: image ${first.ids.join(', ')}: ${first.message}${more}`;
}
