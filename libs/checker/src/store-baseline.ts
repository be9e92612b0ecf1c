import { createHash } from 'node:crypto';
import type { ItemFingerprint, StoredItem, StoredObject } from './stored-state';

/**
 * The table and the bucket as they were when a run started: every item's version, state and a
 * digest of all its fields, every object's ETag. The run is then judged on what differs at its end
 * (new, changed or gone), whatever timestamps a build writes: read once at the start and once at
 * the end, never per poll.
 */
/** Where a run's report keeps its baseline. */
export const BASELINE_FILE = 'baseline.json';

export interface StoreBaseline {
  readonly items: ReadonlyMap<string, ItemFingerprint>;
  /** Object key → ETag (or size when the store gives no ETag). */
  readonly objects: ReadonlyMap<string, string>;
}

export function baselineOf(store: { readonly items: readonly StoredItem[]; readonly objects: readonly StoredObject[] }): StoreBaseline {
  return {
    items: new Map(store.items.map((item) => [item.id, fingerprintOf(item)])),
    objects: new Map(store.objects.map((o) => [o.key, objectTag(o)])),
  };
}

export function fingerprintOf(item: StoredItem): ItemFingerprint {
  return { version: item.version, state: item.state, digest: createHash('sha1').update(canonicalJson(item)).digest('hex') };
}

export const objectTag = (o: StoredObject): string => o.etag ?? `size:${o.size}`;

/** JSON with object keys sorted, so two reads of one item give one digest. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The baseline as JSON (the runner keeps it beside the history, so the checker's CLI can judge the run again). */
export function baselineToJson(baseline: StoreBaseline): { items: Record<string, ItemFingerprint>; objects: Record<string, string> } {
  return { items: Object.fromEntries(baseline.items), objects: Object.fromEntries(baseline.objects) };
}

export function baselineFromJson(json: { items?: Record<string, ItemFingerprint>; objects?: Record<string, string> }): StoreBaseline {
  return { items: new Map(Object.entries(json.items ?? {})), objects: new Map(Object.entries(json.objects ?? {})) };
}
