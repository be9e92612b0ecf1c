import type { Floor } from './floors';
import { Comparator, RowId, TARGETS } from './targets';

export type Verdict = 'MEETS' | 'MISSES' | 'not measured' | 'reported';

/** One row's figure from the run: its value (absent when the run could not measure it) and how it was obtained. */
export interface BenchFigure {
  readonly value?: number;
  readonly detail: string;
  /** What the row would read if the platform's own code cost nothing (floors.ts). */
  readonly floor?: Floor;
}

export type BenchFigures = Readonly<Record<RowId, BenchFigure>>;

/** A judged row, as printed and as written to the JSON (null for "no value" / "no target"). */
export interface BenchRow {
  readonly row: RowId;
  readonly measure: string;
  readonly value: number | null;
  readonly unit: string;
  readonly comparator: Comparator;
  readonly target: number | null;
  readonly verdict: Verdict;
  readonly detail: string;
  readonly floor: Floor | null;
  /** The floor alone misses the target: out of reach with the parts the platform is made of, on this machine. */
  readonly floorMisses: boolean;
}

/** MEETS or MISSES by the comparator; a value that is absent or not a finite number is not measured, never a pass. */
export function verdictOf(value: number | undefined, comparator: Comparator, target: number | undefined): Verdict {
  if (value === undefined || !Number.isFinite(value)) return 'not measured';
  if (comparator === 'reported' || target === undefined) return 'reported';
  const meets = comparator === '>=' ? value >= target : comparator === '<=' ? value <= target : value < target;
  return meets ? 'MEETS' : 'MISSES';
}

/** Every row of the targets table, in its order, judged on the run's figures. */
export function judgeRows(figures: BenchFigures): BenchRow[] {
  return TARGETS.map((t) => {
    const figure = figures[t.row];
    const value = figure.value !== undefined && Number.isFinite(figure.value) ? figure.value : null;
    return {
      row: t.row,
      measure: t.measure,
      value,
      unit: t.unit,
      comparator: t.comparator,
      target: t.target ?? null,
      verdict: verdictOf(figure.value, t.comparator, t.target),
      detail: figure.detail,
      floor: figure.floor ?? null,
      floorMisses: figure.floor !== undefined && verdictOf(figure.floor.value, t.comparator, t.target) === 'MISSES',
    };
  });
}
