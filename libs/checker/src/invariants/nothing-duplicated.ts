import { PROCESSED_PREFIX } from '@imagery/domain';
import type { FinalState, StoredItem } from '../stored-state';
import { indexHistory, isOk } from '../history-index';
import { imageIdOfKey, itemsByKey } from '../run-scope';
import type { SyncInvariant, Violation } from '../violation';

/**
 * Nothing duplicated:
 *  - one item per id (the table's scan holds each id once);
 *  - no item for an id nobody asked to create (no create invoked in the history, whatever its answer);
 *  - no id whose create was answered 201 Created more than once;
 *  - exactly one object under processed/ per processed image, and it is the item's processedS3Key
 *    (objects whose key names a processed item's id, beside its processedS3Key, are duplicates);
 *  - no other object under processed/ (orphans: keys no processed item points at);
 *  - no object at all that belongs to no item (anywhere in the bucket, not only under the two prefixes).
 */
export const nothingDuplicated: SyncInvariant = ({ history, state }) => [
  ...duplicateItems(state),
  ...unrequestedItems(history, state),
  ...createdTwice(history),
  ...processedObjects(state),
  ...objectsWithoutItem(state),
];

const duplicated = (ids: string[], message: string): Violation => ({ invariant: 'nothing-duplicated', ids, message });

function duplicateItems(state: FinalState): Violation[] {
  const counts = new Map<string, number>();
  for (const item of state.items) counts.set(item.id, (counts.get(item.id) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([id, n]) => duplicated([id], `${n} items with this id`));
}

function unrequestedItems(history: Parameters<SyncInvariant>[0]['history'], state: FinalState): Violation[] {
  const index = indexHistory(history);
  // An item that existed when the run started was asked for by an earlier run (or a user): another
  // actor changing it is judged by the other invariants, not as an item nobody created.
  const earlier = (id: string) => state.before?.preexisting.has(id) ?? false;
  const requested = (id: string) => (index.byId.get(id) ?? []).some((o) => o.invoke.op === 'create');
  return state.items
    .filter((item) => !requested(item.id) && !earlier(item.id))
    .map((item) => duplicated([item.id], `an item nobody created (v${item.version} ${item.state})`));
}

function createdTwice(history: Parameters<SyncInvariant>[0]['history']): Violation[] {
  const violations: Violation[] = [];
  for (const [id, ops] of indexHistory(history).byId) {
    const created = ops.filter((o) => o.invoke.op === 'create' && isOk(o) && o.completion.status === 201);
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
  const byId = new Map<string, string[]>();
  for (const key of strays) {
    const id = imageIdOfKey(key) ?? '';
    byId.set(id, [...(byId.get(id) ?? []), key]);
  }
  const items = new Map(state.items.map((item) => [item.id, item]));
  const violations: Violation[] = [];
  for (const [id, keys] of byId) {
    const owner = items.get(id);
    if (owner?.state === 'processed' && owner.processedS3Key) {
      violations.push(
        duplicated([id], `${keys.length + 1} processed objects for one image: ${[owner.processedS3Key, ...keys].join(', ')}`),
      );
    } else if (owner) {
      for (const key of keys) violations.push(duplicated([id], `orphan processed object ${key} (its image is ${owner.state})`));
    }
    // no item at all: objectsWithoutItem reports it
  }
  return violations;
}

/** Objects that belong to no item: no item names them, and the image their key names has no item. */
function objectsWithoutItem(state: FinalState): Violation[] {
  const ids = new Set(state.items.map((item) => item.id));
  const named = itemsByKey(state.items);
  return state.objects
    .filter((o) => !named.has(o.key) && !ids.has(imageIdOfKey(o.key) ?? ''))
    .map((o) => {
      const id = imageIdOfKey(o.key);
      return duplicated(id ? [id] : [], `object ${o.key} without an item${id ? '' : ' (its key names no image)'}`);
    });
}
