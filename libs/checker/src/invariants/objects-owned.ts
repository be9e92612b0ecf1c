import { PROCESSED_PREFIX, RAW_PREFIX } from '@imagery/domain';
import { imageIdOfKey, itemsByKey } from '../run-scope';
import type { SyncInvariant, Violation } from '../violation';

/**
 * Every object an item names is its own, and every object belongs to one item:
 *  - an item's rawS3Key lies under the raw prefix and its processedS3Key under the processed prefix,
 *    each naming the item's own id (with four fixtures, an item pointing at another item's
 *    same-fixture output would pass the existence and sepia checks);
 *  - no object is named by two items.
 * (Objects that belong to no item at all are nothing-duplicated's to report.)
 */
export const objectsOwned: SyncInvariant = ({ state }) => {
  const violations: Violation[] = [];
  const report = (ids: string[], message: string) => violations.push({ invariant: 'objects-owned', ids, message });
  for (const item of state.items) {
    for (const [what, prefix, key] of [
      ['raw', RAW_PREFIX, item.rawS3Key],
      ['processed', PROCESSED_PREFIX, item.processedS3Key],
    ] as const) {
      if (typeof key !== 'string' || key === '') continue;
      const owner = imageIdOfKey(key);
      if (!key.startsWith(prefix)) report([item.id], `its ${what} object ${key} lies outside ${prefix}`);
      else if (owner !== item.id.toLowerCase())
        report([item.id], `its ${what} object ${key} names ${owner ? `another image (${owner})` : 'no image'}`);
    }
  }
  for (const [key, ids] of itemsByKey(state.items))
    if (ids.length > 1) report([...ids].sort(), `object ${key} is named by ${ids.length} items`);
  return violations;
};
