import { PROCESSED_PREFIX, RAW_PREFIX } from '@imagery/domain';
import type { HistoryEntry } from '@imagery/history/history-entry';
import type { FinalState, StoredItem, StoredObject } from './stored-state';
import { indexHistory } from './history-index';
import { fingerprintOf, objectTag, type StoreBaseline } from './store-baseline';

/**
 * What one run touched. A platform outlives a run (npm start, the experiment matrix): its table,
 * bucket and dead-letter queue hold earlier runs' images. The run is judged on
 *  - the ids its history names (every client request, acknowledged or not, and every injected
 *    fault's image), and
 *  - given the store's baseline (read when the run started), everything that differs at its end:
 *    new items and objects, items whose fields changed, objects whose ETag changed, items and
 *    objects that are gone — whoever changed them and whatever timestamps they carry;
 * and its dead letters only: an earlier run's poison message is not this run's failure.
 * Without a baseline nothing can be left out: the whole state is judged.
 */
export interface RunScope {
  readonly ids: ReadonlySet<string>;
  readonly baseline?: StoreBaseline;
}

/** The scope a history defines (its ids), against the store as it was when the run started. */
export function runScopeOf(history: readonly HistoryEntry[], baseline?: StoreBaseline): RunScope {
  const index = indexHistory(history);
  const ids = new Set(index.byId.keys());
  for (const n of index.nemesis) if (n.event.kind === 'api-fault' && n.event.imageId) ids.add(n.event.imageId);
  return { ids, ...(baseline ? { baseline } : {}) };
}

const UUID_PREFIX = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;

/** The image id an object key names (`upload/<id>/<sha>`, `upload/<id>-<ms>`, `processed/<id>.jpg`, `processed/<id>-<ms>.png`). */
export function imageIdOfKey(key: string): string | undefined {
  const prefix = key.startsWith(RAW_PREFIX) ? RAW_PREFIX : key.startsWith(PROCESSED_PREFIX) ? PROCESSED_PREFIX : undefined;
  if (!prefix) return undefined;
  return UUID_PREFIX.exec(key.slice(prefix.length))?.[0].toLowerCase();
}

/** The object keys an item names (rawS3Key, processedS3Key), as the table holds them. */
export const keysOf = (item: StoredItem): string[] =>
  [item.rawS3Key, item.processedS3Key].filter((k): k is string => typeof k === 'string' && k !== '');

/** For every key some item names, the ids of the items naming it (built once per state). */
export function itemsByKey(items: readonly StoredItem[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const item of items) for (const key of keysOf(item)) byKey.set(key, [...(byKey.get(key) ?? []), item.id]);
  return byKey;
}

/** The image id a queue message names (`{"imageId": ...}`), if any. */
export function imageIdOfMessage(body: string): string | undefined {
  try {
    const imageId = (JSON.parse(body) as { imageId?: unknown } | null)?.imageId;
    return typeof imageId === 'string' ? imageId.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export function scopeFinalState(state: FinalState, scope: RunScope): FinalState {
  const { baseline } = scope;
  const ids = new Set(scope.ids);
  const changedObjects = new Set<string>();
  if (baseline) {
    for (const item of state.items) {
      const before = baseline.items.get(item.id);
      if (!before || before.digest !== fingerprintOf(item).digest) ids.add(item.id);
    }
    const present = new Set(state.items.map((i) => i.id));
    for (const id of baseline.items.keys()) if (!present.has(id)) ids.add(id);
    const keys = new Set(state.objects.map((o) => o.key));
    for (const o of state.objects) if (baseline.objects.get(o.key) !== objectTag(o)) changedObjects.add(o.key);
    const gone = [...baseline.objects.keys()].filter((key) => !keys.has(key));
    // A changed or deleted object brings its image in: the one its key names, and any item naming it.
    const naming = itemsByKey(state.items);
    for (const key of [...changedObjects, ...gone]) {
      const owner = imageIdOfKey(key);
      if (owner) ids.add(owner);
      for (const id of naming.get(key) ?? []) ids.add(id);
    }
  }
  const named = new Set(state.items.filter((i) => ids.has(i.id)).flatMap(keysOf));
  // An unchanged item naming an object a judged item names too is judged with it (one object, two owners).
  for (const item of state.items) if (keysOf(item).some((k) => named.has(k))) ids.add(item.id);
  const items = baseline ? state.items.filter((i) => ids.has(i.id)) : state.items;
  const ours = (o: StoredObject) => changedObjects.has(o.key) || named.has(o.key) || ids.has(imageIdOfKey(o.key) ?? '');
  const objects = baseline ? state.objects.filter(ours) : state.objects;
  const judged = new Set([...ids, ...items.map((i) => i.id)]);
  const messages = state.deadLetter.messages.filter((body) => judged.has(imageIdOfMessage(body) ?? ''));
  return {
    ...state,
    items,
    objects,
    deadLetter: {
      ...state.deadLetter,
      messages,
      ignored: (state.deadLetter.ignored ?? 0) + state.deadLetter.messages.length - messages.length,
    },
    ...(baseline ? { before: beforeOf(baseline, ids, new Set(state.items.map((i) => i.id))) } : {}),
  };
}

/** The scope's items as they were at the run's start: those still there, and those gone. */
function beforeOf(baseline: StoreBaseline, ids: ReadonlySet<string>, present: ReadonlySet<string>): NonNullable<FinalState['before']> {
  const preexisting = new Map([...baseline.items].filter(([id]) => ids.has(id) && present.has(id)));
  const vanished = new Map([...baseline.items].filter(([id]) => !present.has(id)));
  return { preexisting, vanished };
}
