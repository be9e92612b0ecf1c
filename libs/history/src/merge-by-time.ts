import type { HistoryEntry } from './history-entry';

/**
 * Several time-ordered streams (the workload's, the nemesis recorder's, the instances' fault logs)
 * as one history on the one clock. Stable: entries with the same time keep their stream's order,
 * and the streams' order breaks ties.
 */
export function mergeByTime<T extends HistoryEntry>(...streams: ReadonlyArray<readonly T[]>): T[] {
  return streams
    .flatMap((stream, s) => stream.map((entry, i) => ({ entry, s, i })))
    .sort((a, b) => a.entry.time - b.entry.time || a.s - b.s || a.i - b.i)
    .map((x) => x.entry);
}
