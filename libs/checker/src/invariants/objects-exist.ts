import type { SyncInvariant, Violation } from '../violation';

/**
 * Every referenced object exists: an `uploaded` or `processed` item names a rawS3Key, and it exists; a
 * `processed` item's processedS3Key. (A `failed` item's raw object may be what went missing:
 * that is its reason, not a second violation.)
 */
export const objectsExist: SyncInvariant = ({ state }) => {
  const keys = new Set(state.objects.map((o) => o.key));
  const violations: Violation[] = [];
  for (const item of state.items) {
    const missing = (what: string, key: string) =>
      violations.push({
        invariant: 'objects-exist',
        ids: [item.id],
        message: `\`${item.state}\` (v${item.version}) but its ${what} object ${key} does not exist`,
      });
    if (item.state === 'uploaded' || item.state === 'processed') {
      // Its raw object is what the sepia and hash checks start from: without one, nothing about it can be checked.
      if (!item.rawS3Key)
        violations.push({
          invariant: 'objects-exist',
          ids: [item.id],
          message: `\`${item.state}\` (v${item.version}) but it names no raw object`,
        });
      else if (!keys.has(item.rawS3Key)) missing('raw', item.rawS3Key);
    }
    if (item.state === 'processed' && item.processedS3Key && !keys.has(item.processedS3Key)) missing('processed', item.processedS3Key);
  }
  return violations;
};
