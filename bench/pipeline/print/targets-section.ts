import type { BenchRow } from '../bench-rows';
import { table } from './format';

/** Issue 16's bench rows: value, target and verdict, each followed by how its value was obtained. */
export function targetsSection(rows: readonly BenchRow[]): string[] {
  const lines = table(
    ['measure', 'value', 'target', 'verdict'],
    rows.map((r) => [r.measure, valueCell(r), targetCell(r), r.verdict]),
  );
  return [
    "Issue 16's bench rows, from this run (targets: bench/pipeline/targets.ts)",
    ...lines.slice(0, 2),
    ...rows.flatMap((r, i) => [lines[i + 2], `      ${r.detail}`]),
    `  ${summary(rows)}`,
    '',
  ];
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
  const rest = judged.filter((r) => r.verdict !== 'MEETS').map((r) => `${r.row} (${r.verdict})`);
  return `${met.length} of ${judged.length} targets met${rest.length ? `; not met: ${rest.join(', ')}` : ''}`;
}
