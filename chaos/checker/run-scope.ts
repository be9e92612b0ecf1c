import { PROCESSED_PREFIX, RAW_PREFIX } from '@imagery/domain';
import type { HistoryEntry } from '../history/history-entry';
import type { FinalState, StoredObject } from './final-state';
import { indexHistory } from './history-index';

/**
 * What one run touched. A platform outlives a run (npm start, the experiment matrix): its table,
 * bucket and dead-letter queue hold earlier runs' images. The run is judged on
 *  - the ids its history names (every client request, acknowledged or not, and every injected
 *    fault's image), whatever their timestamps, and
 *  - anything created since it started that no client asked for (a duplicate, an orphan),
 * and its dead letters only: an earlier run's poison message is not this run's failure.
 */
export interface RunScope {
  readonly ids: ReadonlySet<string>;
  /** Epoch ms when the run started. */
  readonly startedAt: number;
  /** Clock slack between this machine and the stores' timestamps (default 2 s). */
  readonly marginMs?: number;
}

/** The scope a history defines: its ids, and its workload's start (else its first entry). */
export function runScopeOf(history: readonly HistoryEntry[]): RunScope {
  const index = indexHistory(history);
  const ids = new Set(index.byId.keys());
  for (const n of index.nemesis) if (n.event.kind === 'api-fault' && n.event.imageId) ids.add(n.event.imageId);
  const start = history.find((e) => e.type === 'workload' && e.phase === 'start');
  return { ids, startedAt: start?.time ?? index.origin };
}

/** The image id an object key names (`upload/<id>/<sha>`, `upload/<id>-<ms>`, `processed/<id>.jpg`, `processed/<id>-<ms>.png`). */
export function imageIdOfKey(key: string): string | undefined {
  const prefix = key.startsWith(RAW_PREFIX) ? RAW_PREFIX : key.startsWith(PROCESSED_PREFIX) ? PROCESSED_PREFIX : undefined;
  if (!prefix) return undefined;
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/.exec(key.slice(prefix.length))?.[0].toLowerCase();
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
  const since = scope.startedAt - (scope.marginMs ?? 2_000);
  const recent = (time: unknown) => typeof time !== 'number' || time >= since;
  const items = state.items.filter((i) => scope.ids.has(i.id) || recent(i.createdAt));
  const ids = new Set([...scope.ids, ...items.map((i) => i.id)]);
  const ours = (o: StoredObject) => {
    const id = imageIdOfKey(o.key);
    return (id !== undefined && ids.has(id)) || recent(o.lastModified);
  };
  const messages = state.deadLetter.messages.filter((body) => ids.has(imageIdOfMessage(body) ?? ''));
  return {
    ...state,
    items,
    objects: state.objects.filter(ours),
    deadLetter: { ...state.deadLetter, messages, ignored: (state.deadLetter.ignored ?? 0) + state.deadLetter.messages.length - messages.length },
  };
}
