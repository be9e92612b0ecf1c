import type { CoverageLogEntry } from '@imagery/aws-adapters';
import { RECOVERY_PATHS, RECOVERY_PATH_NAMES, isRecoveryPath } from '@imagery/domain';

/** One named recovery path in one run: how often the instances took it, and by which variant (its details). */
export interface CoverageRow {
  readonly path: string;
  readonly description: string;
  readonly reached: number;
  /** Counts by detail (an operation, a transition, a service), for the paths that give one. */
  readonly details: Readonly<Record<string, number>>;
}

/** What a path no longer in the catalogue is called (an older build's log, an adversary's). */
export const UNCATALOGUED = '(not in the catalogue of this build)';

/**
 * A run's coverage table: every path of the catalogue, in its order, reached or not, then any path
 * the logs name that the catalogue does not.
 */
export function runCoverage(entries: readonly CoverageLogEntry[]): CoverageRow[] {
  const counts = new Map<string, { reached: number; details: Record<string, number> }>();
  for (const entry of entries) {
    const row = counts.get(entry.path) ?? { reached: 0, details: {} };
    row.reached++;
    if (entry.detail !== undefined) row.details[entry.detail] = (row.details[entry.detail] ?? 0) + 1;
    counts.set(entry.path, row);
  }
  const extra = [...counts.keys()].filter((p) => !isRecoveryPath(p)).sort();
  return [...RECOVERY_PATH_NAMES, ...extra].map((path) => ({
    path,
    description: isRecoveryPath(path) ? RECOVERY_PATHS[path] : UNCATALOGUED,
    reached: counts.get(path)?.reached ?? 0,
    details: counts.get(path)?.details ?? {},
  }));
}

/** `12 (dynamodb 9, sqs 3)`: a count and its details, most frequent first. */
export function formatReached(row: Pick<CoverageRow, 'reached' | 'details'>): string {
  const details = Object.entries(row.details)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([detail, n]) => `${detail} ${n}`);
  return details.length ? `${row.reached} (${details.join(', ')})` : String(row.reached);
}
