import type { HistoryEntry } from '@imagery/history/history-entry';
import { checkStats, type CheckStats } from './check-stats';
import { sharedReader } from './object-reader';
import type { FinalState, StoredItem, StoredObject } from './stored-state';
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
  const hashed = rawObjectsToHash(state);
  const compared = sepiaTargets(state, options);
  const readObject = options.readObject && sharedReader(options.readObject, readsPerKey(hashed, compared, state, options));
  const input = { history, state, options: { ...options, ...(readObject ? { readObject } : {}) } };
  // At once: the object reads of one invariant overlap another's work; reported in INVARIANTS' order.
  const found: Violation[] = (await Promise.all(INVARIANTS.map(async ([, invariant]) => invariant(input)))).flat();
  const violations = withProvenance(found, input);
  const reads = options.readObject !== undefined;
  const stats = checkStats(history, state, {
    rawHashed: reads ? hashed.length : 0,
    sepiaChecked: reads ? compared.length : 0,
  });
  return {
    ok: violations.length === 0,
    violations,
    stats,
    skipped: reads ? [] : ['raw-matches-key', 'sepia'],
    tookMs: Date.now() - started,
  };
}

/**
 * How many times the check reads each object: raw-matches-key hashes `hashed`, sepia reads both
 * objects of each of `compared` — except what options.judgements already knows of the same bytes.
 */
function readsPerKey(
  hashed: readonly StoredObject[],
  compared: readonly StoredItem[],
  state: FinalState,
  { judgements }: CheckOptions,
): Map<string, number> {
  const objects = new Map(state.objects.map((o) => [o.key, o]));
  const uses = new Map<string, number>();
  const count = (key: string) => uses.set(key, (uses.get(key) ?? 0) + 1);
  for (const o of hashed) if (!judgements?.digestOf(o)) count(o.key);
  for (const { rawS3Key: raw, processedS3Key: processed } of compared) {
    if (typeof raw !== 'string' || typeof processed !== 'string') continue;
    if (judgements?.sepiaOf(objects.get(raw), objects.get(processed))) continue;
    count(raw);
    count(processed);
  }
  return uses;
}
