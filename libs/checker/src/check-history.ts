import type { HistoryEntry } from '@imagery/history/history-entry';
import { checkStats, type CheckStats } from './check-stats';
import type { FinalState } from './stored-state';
import { INVARIANTS, rawObjectsToHash, sepiaTargets } from './invariants';
import { withProvenance } from './provenance';
import type { InvariantName, InvariantOptions, Violation } from './violation';

export type CheckOptions = InvariantOptions;

export interface CheckResult {
  /** True when no invariant is violated. */
  readonly ok: boolean;
  readonly violations: readonly Violation[];
  readonly stats: CheckStats;
  /** Invariants that could not run (raw-matches-key's hashing and sepia without a readObject). */
  readonly skipped: readonly InvariantName[];
  /** Wall time the check took, ms. */
  readonly tookMs: number;
}

/**
 * The checker: every invariant over one run's history and final state (scoped to the run), each
 * single-image violation with its provenance (its operations, final item, objects, and the faults
 * that touched it).
 */
export async function checkHistory(history: readonly HistoryEntry[], state: FinalState, options: CheckOptions = {}): Promise<CheckResult> {
  const started = Date.now();
  const input = { history, state, options };
  const found: Violation[] = [];
  for (const [, invariant] of INVARIANTS) found.push(...(await invariant(input)));
  const violations = withProvenance(found, input);
  const reads = options.readObject !== undefined;
  const stats = checkStats(history, state, {
    rawHashed: reads ? rawObjectsToHash(state).length : 0,
    sepiaChecked: reads ? sepiaTargets(state, options).length : 0,
  });
  return {
    ok: violations.length === 0,
    violations,
    stats,
    skipped: reads ? [] : ['raw-matches-key', 'sepia'],
    tookMs: Date.now() - started,
  };
}
