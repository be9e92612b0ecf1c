import { createHash } from 'node:crypto';
import { RAW_PREFIX } from '@imagery/domain';
import type { FinalState, StoredObject } from '../stored-state';
import { indexHistory } from '../history-index';
import { mapLimited } from '../map-limited';
import type { RawDigest } from '../object-judgements';
import { imageIdOfKey, itemsByKey } from '../run-scope';
import type { Invariant, Violation } from '../violation';

/** `upload/<id>/<sha256>`: a content-addressed raw key, whose bytes can be checked against it. */
const CONTENT_ADDRESSED = /^upload\/[^/]+\/([0-9a-f]{64})$/;

/** The SHA-256 a raw key claims for its bytes, or undefined when the key is not content-addressed (the seed build's timestamped keys). */
export const claimedSha256 = (key: string): string | undefined => CONTENT_ADDRESSED.exec(key)?.[1];

/** The raw objects whose bytes are read: every object under the raw prefix, and any object an item names as its raw one. */
export function rawObjectsToHash(state: FinalState): StoredObject[] {
  const named = new Set(state.items.flatMap((i) => (typeof i.rawS3Key === 'string' ? [i.rawS3Key] : [])));
  return state.objects.filter((o) => o.key.startsWith(RAW_PREFIX) || named.has(o.key));
}

/**
 * Raw objects are what clients sent, whatever the key scheme:
 *  - an item's rawS3Key, when it names a SHA-256, names bytes a client uploaded for that id (any
 *    attempt: an `info` upload may have been applied);
 *  - every raw object's bytes are bytes a client uploaded for its image (the history has each
 *    upload's SHA-256; its image is the item naming it, or the id its key names), and hash to the
 *    SHA-256 its key claims, if it claims one.
 * Images no client of the run uploaded (another actor's) are checked against their keys only.
 * Needs options.readObject for the bytes.
 */
export const rawMatchesKey: Invariant = async ({ history, state, options }) => {
  const index = indexHistory(history);
  const sent = new Map<string, Set<string>>();
  // The SHA-256 of every upload a client sent for an id (built once per id, asked once per object).
  const sentFor = (id: string) => {
    let hashes = sent.get(id);
    if (!hashes)
      sent.set(
        id,
        (hashes = new Set(
          (index.byId.get(id) ?? []).flatMap((o) => (o.invoke.op === 'upload' && o.invoke.sha256 ? [o.invoke.sha256] : [])),
        )),
      );
    return hashes;
  };
  const violations: Violation[] = [];
  for (const item of state.items) {
    const claimed = item.rawS3Key && claimedSha256(item.rawS3Key);
    if (!claimed) continue;
    const hashes = sentFor(item.id);
    if (hashes.size > 0 && !hashes.has(claimed)) {
      violations.push({
        invariant: 'raw-matches-key',
        ids: [item.id],
        message: `rawS3Key ${item.rawS3Key} names bytes no client uploaded for it (sent: ${short(hashes)})`,
      });
    }
  }
  const { readObject } = options;
  if (!readObject) return violations;
  // Items by the raw key they name, built once (not a scan of every item per object).
  const namingRaw = itemsByKey(state.items.map((i) => ({ id: i.id, rawS3Key: i.rawS3Key })));
  const ownersOf = (key: string) => {
    const owners = new Set(namingRaw.get(key) ?? []);
    const named = imageIdOfKey(key);
    if (named) owners.add(named);
    return [...owners];
  };
  const checked = await mapLimited(rawObjectsToHash(state), options.concurrency ?? 8, async (o): Promise<Violation | undefined> => {
    const owners = ownersOf(o.key);
    const fail = (message: string): Violation => ({ invariant: 'raw-matches-key', ids: owners, message });
    let digest: RawDigest;
    try {
      digest = options.judgements?.digestOf(o) ?? digestOf(await readObject(o.key));
    } catch (err) {
      return fail(`raw object ${o.key} could not be read: ${(err as Error).message}`);
    }
    const actual = digest.sha256;
    const what = `raw object ${o.key} holds`;
    const claimed = claimedSha256(o.key);
    if (claimed && actual !== claimed)
      return fail(`${what} other bytes than its key names (SHA-256 ${actual.slice(0, 12)}…, ${digest.size} bytes)`);
    const strangers = owners.filter((id) => sentFor(id).size > 0 && !sentFor(id).has(actual));
    if (strangers.length)
      return fail(
        `${what} bytes no client uploaded for ${strangers.join(', ')} ` +
          `(SHA-256 ${actual.slice(0, 12)}…; sent: ${short(sentFor(strangers[0]))})`,
      );
    return undefined;
  });
  return [...violations, ...checked.filter((v): v is Violation => v !== undefined)];
};

const digestOf = (bytes: Buffer): RawDigest => ({ sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });

const short = (hashes: ReadonlySet<string>) => [...hashes].map((h) => h.slice(0, 12)).join(', ');
