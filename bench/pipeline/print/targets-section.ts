import type { BenchRow } from '../bench-rows';
import { StalledPhase, stallsLine } from '../stalled-phases';
import { table } from './format';

/**
 * Issue 16's bench rows: value, target and verdict, each followed by how its value was obtained; last,
 * whether the machine stood still during a phase (a verdict is kept as measured, and flagged).
 */
export function targetsSection(rows: readonly BenchRow[], stalled: readonly StalledPhase[]): string[] {
  const lines = table(
    ['measure', 'value', 'target', 'verdict'],
    rows.map((r) => [r.measure, valueCell(r), targetCell(r), r.verdict]),
  );
  return [
    "Issue 16's bench rows, from this run (targets: bench/pipeline/targets.ts)",
    ...lines.slice(0, 2),
    ...rows.flatMap((r, i) => [lines[i + 2], `      ${r.detail}`, ...floorLine(r)]),
    `  ${summary(rows)}`,
    `  ${stallsLine(stalled)}`,
    '',
  ];
}

/**
 * The row's floor (floors.ts), or for a ">=" row its ceiling: past the target (out of reach), or the
 * margin between it and the target that the platform's own code may spend.
 */
function floorLine(r: BenchRow): string[] {
  if (!r.floor) return [];
  const unit = r.unit ? ` ${r.unit}` : '';
  const atLeast = r.comparator === '>=';
  const margin = Number(Math.abs((r.target ?? NaN) - r.floor.value).toFixed(2));
  const reach = r.floorMisses
    ? `${atLeast ? 'short of' : 'past'} the target: out of reach with these parts`
    : atLeast
      ? `${margin}${unit} above the target: the most the platform's own code may cost it`
      : `the platform's own code may add ${margin}${unit} up to the target`;
  return [`      ${atLeast ? 'ceiling' : 'floor'} ${r.floor.value}${unit}, ${reach}: ${r.floor.detail}`];
}

function valueCell(r: BenchRow): string {
  if (r.value === null) return 'not measured';
  const value = Math.abs(r.value) >= 100 ? r.value.toFixed(0) : String(r.value); // 4762 ms, not 4762.29
  return r.unit ? `${value} ${r.unit}` : value;
}

function targetCell(r: BenchRow): string {
  if (r.target === null) return 'reported';
  return `${r.comparator} ${r.target}${r.unit ? ` ${r.unit}` : ''}`;
}

/** "7 of 10 targets met; missed: …" (reported rows have no target). */
function summary(rows: readonly BenchRow[]): string {
  const judged = rows.filter((r) => r.comparator !== 'reported');
  const met = judged.filter((r) => r.verdict === 'MEETS');
  const rest = judged
    .filter((r) => r.verdict !== 'MEETS')
    .map((r) => `${r.row} (${r.verdict}${r.floorMisses ? ', its floor too: out of reach' : ''})`);
  return `${met.length} of ${judged.length} targets met${rest.length ? `; not met: ${rest.join(', ')}` : ''}`;
}
