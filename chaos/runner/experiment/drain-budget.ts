import type { HistoryEntry } from '@imagery/history/history-entry';

/**
 * The least a drain waits, however long ago the platform's last work was: a settled system is seen
 * settled within DRAIN_QUIET_MS and a read (drain.ts), and 5 s is also the chaos queue's visibility
 * timeout (CHAOS_WORKER_ENV: a message a worker held comes back within it).
 */
export const DRAIN_MIN_MS = 5_000;

/**
 * When the platform was last given work: the workload's last create or upload (attempt or answer:
 * a write, even a refused one, may leave work behind; a read leaves none) and the faults' end.
 */
export function lastWorkAt(entries: readonly HistoryEntry[], faultsEndedAt: number): number {
  let last = faultsEndedAt;
  for (const entry of entries) if ('op' in entry && entry.op !== 'get' && entry.time > last) last = entry.time;
  return last;
}

/**
 * How long the drain may wait: `timeoutMs` counted from the platform's last work, not from the
 * load's end. A journey the load waits on past its plan only reads its image: those seconds were
 * already the platform's to settle in (the repair sweep runs through them), so the drain gets
 * what is left of `timeoutMs` — never more than `timeoutMs` (as when the load ends on time), never
 * less than DRAIN_MIN_MS. Without it, a build that never recovers was waited for twice: its
 * journeys' 30 s, then the whole drain again (no-repair-sweep: 45 s of load, then 20 s of drain).
 */
export function drainBudgetMs(timeoutMs: number, lastWork: number, now: number): number {
  return Math.max(Math.min(timeoutMs, DRAIN_MIN_MS), Math.min(timeoutMs, lastWork + timeoutMs - now));
}
