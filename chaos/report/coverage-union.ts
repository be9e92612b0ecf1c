import { type CoverageRow } from './coverage';

/** One experiment's coverage, as its report holds it (absent when the run did not get that far). */
export interface ExperimentCoverage {
  readonly experiment: string;
  readonly coverage?: readonly CoverageRow[];
}

export interface UnionRow {
  readonly path: string;
  readonly description: string;
  readonly total: number;
  /** The experiments that reached it, each with its count, in the matrix's order. */
  readonly reachedBy: readonly { readonly experiment: string; readonly reached: number }[];
}

export interface CoverageUnion {
  readonly rows: readonly UnionRow[];
  /** The paths no experiment reached: recovery code the matrix never exercised. */
  readonly neverReached: readonly string[];
  /** Experiments with no coverage (the run failed before its report). */
  readonly missing: readonly string[];
}

/** The matrix's coverage: every path any run's table lists, its total over the runs, and who reached it. */
export function coverageUnion(runs: readonly ExperimentCoverage[]): CoverageUnion {
  const rows = new Map<string, { description: string; total: number; reachedBy: { experiment: string; reached: number }[] }>();
  for (const { experiment, coverage } of runs) {
    for (const r of coverage ?? []) {
      const row = rows.get(r.path) ?? { description: r.description, total: 0, reachedBy: [] };
      row.total += r.reached;
      if (r.reached > 0) row.reachedBy.push({ experiment, reached: r.reached });
      rows.set(r.path, row);
    }
  }
  const union = [...rows].map(([path, row]) => ({ path, ...row }));
  return {
    rows: union,
    neverReached: union.filter((r) => r.total === 0).map((r) => r.path),
    missing: runs.filter((r) => !r.coverage).map((r) => r.experiment),
  };
}

/** The matrix's coverage as the terminal prints it. */
export function formatCoverageUnion(union: CoverageUnion): string {
  const width = Math.max(4, ...union.rows.map((r) => r.path.length)) + 2;
  const lines = [`${'recovery path'.padEnd(width)}${'total'.padStart(7)}  reached by`];
  for (const r of union.rows) {
    const by = r.reachedBy.map((e) => `${e.experiment} ${e.reached}`).join(', ') || '-';
    lines.push(`${r.path.padEnd(width)}${String(r.total).padStart(7)}  ${by}`);
  }
  const reached = union.rows.length - union.neverReached.length;
  lines.push(`${reached} of ${union.rows.length} recovery paths reached`);
  if (union.neverReached.length) lines.push(`never reached: ${union.neverReached.join(', ')}`);
  if (union.missing.length) lines.push(`no coverage from (the run failed): ${union.missing.join(', ')}`);
  return lines.join('\n');
}
