import type { CandidateOutcome, RunOutcome } from './candidate-outcome';
import type { SubjectSelection, SubjectSizes } from './shrink-subject';

/** Which part of the subject a candidate reduces (`reproduce`: the whole subject, run once first). */
export type ShrinkDimension =
  'reproduce' | 'focus journeys' | 'faults' | 'journeys' | 'warm-up' | 'tail' | 'final faults' | 'final journeys';

/** One line of the shrink log (JSONL): a candidate that was run, and what came of it. */
export interface ShrinkLogEntry {
  /** 1 for the first run (the reproduction), counting runs only: cached candidates are not run again. */
  readonly candidate: number;
  readonly dimension: ShrinkDimension;
  /** Which run of this candidate, when a failure must be confirmed by more than one. */
  readonly attempt?: number;
  /** The candidate, as positions into the original subject's faults and journeys. */
  readonly selection: SubjectSelection;
  readonly outcome: CandidateOutcome;
  readonly verdict: RunOutcome;
  readonly invariants: readonly string[];
  /** The run's own measure of itself. */
  readonly seconds: number;
  /** Since the shrink started, when this run ended. */
  readonly elapsedMs: number;
  /** The original subject, the smallest failing one found after this run, and this candidate. */
  readonly sizes: { readonly before: SubjectSizes; readonly now: SubjectSizes; readonly candidate: SubjectSizes };
  /** Why the run threw, when it did (its outcome is then ERROR → inconclusive). */
  readonly error?: string;
}

/** The progress line shown for one candidate. */
export function progressLine(entry: ShrinkLogEntry, budgetMs: number): string {
  const { before, now, candidate } = entry.sizes;
  const size = (name: string, key: keyof SubjectSizes, unit = '') => {
    const trying = candidate[key] !== now[key] ? ` (tried ${candidate[key]}${unit})` : '';
    return `${name} ${before[key]}→${now[key]}${unit}${trying}`;
  };
  const failed = entry.invariants.length ? ` [${[...new Set(entry.invariants)].join(', ')}]` : '';
  return (
    `shrink #${entry.candidate} ${entry.dimension}${entry.attempt !== undefined ? ` (run ${entry.attempt} of it)` : ''}: ` +
    [
      size('faults', 'faults'),
      size('journeys', 'journeys'),
      size('warm-up', 'warmupSeconds', ' s'),
      size('tail', 'tailSeconds', ' s'),
    ].join(' · ') +
    ` · ${entry.candidate} runs · ${clock(entry.elapsedMs)}/${clock(budgetMs)} · ` +
    `${entry.outcome} (${entry.verdict}${failed}, ${entry.seconds.toFixed(1)} s)`
  );
}

/** 185000 → "3m05s". */
export function clock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
}
