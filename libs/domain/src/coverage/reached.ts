import type { RecoveryPath } from './recovery-paths';

/** One pass through a named recovery path; `detail` says which variant (an operation, a transition) when it helps. */
export interface Reach {
  readonly path: RecoveryPath;
  readonly detail?: string;
}

/** Where the process sends each reach (chaos mode: an append-only file per instance, which a SIGKILL cannot take back). */
export type ReachSink = (reach: Reach) => void;

const counts = new Map<RecoveryPath, number>();
let sink: ReachSink | undefined;

/**
 * Marks that the code took a named recovery path. Cheap and never throws: it sits on recovery
 * branches, and counting them must not change what they do.
 */
export function reached(path: RecoveryPath, detail?: string): void {
  counts.set(path, (counts.get(path) ?? 0) + 1);
  if (!sink) return;
  try {
    sink(detail === undefined ? { path } : { path, detail });
  } catch {
    // a sink that fails loses a count, never the recovery it counts
  }
}

/** Sends every later reach to `next` too (undefined: counts only). One per process: the last call wins. */
export function recordReachesTo(next: ReachSink | undefined): void {
  sink = next;
}

/** How often this process reached each path so far (a copy). */
export function reachCounts(): ReadonlyMap<RecoveryPath, number> {
  return new Map(counts);
}
