import { PROCESSED_PREFIX } from '@imagery/domain';
import type { FinalState, StoredItem } from '../final-state';
import { eventsById } from '../history-index';
import type { Invariant, Violation } from '../violation';

/**
 * 2. Nothing duplicated:
 *  - one item per id (the table's scan holds each id once);
 *  - no item for an id nobody asked to create (no create in the history, whatever its answer);
 *  - no id whose create was answered 201 Created more than once (two "created" acknowledgements);
 *  - exactly one object under processed/ per processed image, and it is the item's processedS3Key
 *    (objects whose key names a processed item's id, beside its processedS3Key, are duplicates);
 *  - no other object under processed/ (orphans: keys no processed item points at, e.g. timestamped keys).
 */
export const nothingDuplicated: Invariant = (history, state) => [
  ...duplicateItems(state),
  ...unrequestedItems(history, state),
  ...createdTwice(history),
  ...processedObjects(state),
];

const duplicated = (ids: string[], message: string): Violation => ({ invariant: 'nothing-duplicated', ids, message });

function duplicateItems(state: FinalState): Violation[] {
  const counts = new Map<string, number>();
  for (const item of state.items) counts.set(item.id, (counts.get(item.id) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([id, n]) => duplicated([id], `${n} items with this id`));
}

function unrequestedItems(history: Parameters<Invariant>[0], state: FinalState): Violation[] {
  const requested = new Set(history.filter((e) => e.op === 'create').map((e) => e.id));
  return state.items
    .filter((item) => !requested.has(item.id))
    .map((item) => duplicated([item.id], `an item nobody created (v${item.version} ${item.state})`));
}

function createdTwice(history: Parameters<Invariant>[0]): Violation[] {
  const violations: Violation[] = [];
  for (const [id, events] of eventsById(history)) {
    const created = events.filter((e) => e.op === 'create' && e.status === 201);
    if (created.length > 1) violations.push(duplicated([id], `create answered 201 Created ${created.length} times`));
  }
  return violations;
}

function processedObjects(state: FinalState): Violation[] {
  const processed = state.items.filter(
    (item): item is StoredItem & { processedS3Key: string } => item.state === 'processed' && !!item.processedS3Key,
  );
  const owned = new Set(processed.map((item) => item.processedS3Key));
  const strays = state.objects.filter((o) => o.key.startsWith(PROCESSED_PREFIX) && !owned.has(o.key)).map((o) => o.key);
  const violations: Violation[] = [];
  const attributed = new Set<string>();
  for (const item of processed) {
    const extra = strays.filter((key) => key.includes(item.id));
    if (extra.length === 0) continue;
    extra.forEach((key) => attributed.add(key));
    const keys = [item.processedS3Key, ...extra].join(', ');
    violations.push(duplicated([item.id], `${extra.length + 1} processed objects for one image: ${keys}`));
  }
  for (const key of strays.filter((k) => !attributed.has(k))) {
    const owner = state.items.find((item) => key.includes(item.id));
    const pointsAt = owner?.processedS3Key ? ` with processedS3Key ${owner.processedS3Key}` : '';
    const why = owner ? `its image is ${owner.state}${pointsAt}` : 'no item names it';
    violations.push(duplicated(owner ? [owner.id] : [], `orphan processed object ${key} (${why})`));
  }
  return violations;
}
