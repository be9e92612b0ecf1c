import { type FaultSchedule, type ScheduledFault, faultKey } from './fault-schedule';

/** How far a replayed fault's time may be from the recorded one's and still be "the same fault". */
export const TIME_TOLERANCE_MS = 2_000;

export interface FiredComparison {
  /** Every recorded fault fired again (same key) within the tolerance, and no other fault fired. */
  readonly matched: boolean;
  readonly counts: { readonly recorded: number; readonly replayed: number; readonly same: number };
  /** What differed, one line each: missing faults, extra ones, times beyond the tolerance. */
  readonly differences: readonly string[];
}

/**
 * Compares the faults a replay fired with the recorded ones. A fault is the same when its key is
 * the same (API faults by role, request id or slot, operation, fault and occurrence; kills by slot
 * and action; toxics by proxy and type; cuts by proxy) and its time is within the tolerance. Equal
 * keys pair up nearest in time first.
 */
export function compareFired(recorded: FaultSchedule, replayed: FaultSchedule, toleranceMs = TIME_TOLERANCE_MS): FiredComparison {
  const pending = new Map<string, ScheduledFault[]>();
  for (const f of replayed.faults) pending.set(faultKey(f), [...(pending.get(faultKey(f)) ?? []), f]);
  const differences: string[] = [];
  let same = 0;
  for (const f of [...recorded.faults].sort((a, b) => a.at - b.at)) {
    const key = faultKey(f);
    const candidates = pending.get(key) ?? [];
    if (candidates.length === 0) {
      differences.push(`missing: ${key} at ${seconds(f.at)} did not fire in the replay`);
      continue;
    }
    const nearest = candidates.reduce((best, c) => (Math.abs(c.at - f.at) < Math.abs(best.at - f.at) ? c : best));
    candidates.splice(candidates.indexOf(nearest), 1);
    const drift = nearest.at - f.at;
    if (Math.abs(drift) > toleranceMs)
      differences.push(
        `time: ${key} fired at ${seconds(nearest.at)}, recorded at ${seconds(f.at)} (${signed(drift)}, beyond ±${seconds(toleranceMs)})`,
      );
    else same++;
  }
  for (const [key, left] of pending) for (const f of left) differences.push(`extra: ${key} at ${seconds(f.at)} fired only in the replay`);
  return {
    matched: differences.length === 0,
    counts: { recorded: recorded.faults.length, replayed: replayed.faults.length, same },
    differences,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const signed = (ms: number) => `${ms >= 0 ? '+' : '-'}${seconds(Math.abs(ms))}`;
