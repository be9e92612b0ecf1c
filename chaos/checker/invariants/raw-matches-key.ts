import { createHash } from 'node:crypto';
import { RAW_PREFIX } from '@imagery/domain';
import { indexHistory } from '../history-index';
import { mapLimited } from '../map-limited';
import type { Invariant, Violation } from '../violation';

/** `upload/<id>/<sha256>`: a content-addressed raw key, whose bytes can be checked against it. */
const CONTENT_ADDRESSED = /^upload\/[^/]+\/([0-9a-f]{64})$/;

/** The SHA-256 a raw key claims for its bytes, or undefined when the key is not content-addressed (the seed build's timestamped keys). */
export const claimedSha256 = (key: string): string | undefined => CONTENT_ADDRESSED.exec(key)?.[1];

/**
 * Raw objects are what clients sent:
 *  - an item's rawS3Key names the SHA-256 of bytes a client uploaded for that id (any attempt:
 *    an `info` upload may have been applied);
 *  - every raw object's bytes hash to the SHA-256 in its key (all of them are read).
 * Keys that are not content-addressed cannot be checked this way; the stats count them.
 * Needs options.readObject for the second part.
 */
export const rawMatchesKey: Invariant = async ({ history, state, options }) => {
  const index = indexHistory(history);
  const violations: Violation[] = [];
  for (const item of state.items) {
    const claimed = item.rawS3Key && claimedSha256(item.rawS3Key);
    if (!claimed) continue;
    const sent = new Set((index.byId.get(item.id) ?? []).flatMap((o) => (o.invoke.op === 'upload' && o.invoke.sha256 ? [o.invoke.sha256] : [])));
    if (sent.size > 0 && !sent.has(claimed)) {
      violations.push({
        invariant: 'raw-matches-key',
        ids: [item.id],
        message: `rawS3Key ${item.rawS3Key} names bytes no client uploaded for it (sent: ${[...sent].map((h) => h.slice(0, 12)).join(', ')})`,
      });
    }
  }
  const { readObject } = options;
  if (!readObject) return violations;
  const raw = state.objects.filter((o) => o.key.startsWith(RAW_PREFIX) && claimedSha256(o.key));
  const checked = await mapLimited(raw, options.concurrency ?? 8, async (o): Promise<Violation | undefined> => {
    const id = o.key.slice(RAW_PREFIX.length).split('/')[0];
    const fail = (message: string): Violation => ({ invariant: 'raw-matches-key', ids: [id], message });
    let bytes: Buffer;
    try {
      bytes = await readObject(o.key);
    } catch (err) {
      return fail(`raw object ${o.key} could not be read: ${(err as Error).message}`);
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    return actual === claimedSha256(o.key) ? undefined : fail(`raw object ${o.key} holds other bytes (SHA-256 ${actual.slice(0, 12)}…, ${bytes.length} bytes)`);
  });
  return [...violations, ...checked.filter((v): v is Violation => v !== undefined)];
};
