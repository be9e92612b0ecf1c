import { CandidateRun, TargetFailure, classifyRun, type CandidateOutcome } from './candidate-outcome';
import type { ShrinkBudget } from './shrink-budget';
import type { ShrinkDimension, ShrinkLogEntry } from './shrink-log';
import { ShrinkSubject, SubjectSelection, selectFrom, selectionKey, sizesOf } from './shrink-subject';

export interface JudgeOptions<F, J> {
  readonly runCandidate: (subject: ShrinkSubject<F, J>) => Promise<CandidateRun>;
  readonly target: TargetFailure;
  readonly now: () => number;
  /**
   * Runs a candidate must fail the same in a row to count (default 1). On a platform where a
   * failure comes back only sometimes, 2 keeps a lucky run from becoming the minimal one.
   */
  readonly confirmations?: number;
  readonly onCandidate?: (entry: ShrinkLogEntry) => void;
}

/** Runs candidates of one original subject on the platform, judges each, and logs every run. */
export class CandidateJudge<F, J> {
  /** Runs so far (a confirmation is a run). */
  runs = 0;
  /** How long the last run of each candidate that failed the same took, by selection key (the summary's seconds). */
  readonly failingSeconds = new Map<string, number>();

  constructor(
    private readonly original: ShrinkSubject<F, J>,
    private readonly options: JudgeOptions<F, J>,
    private readonly budget: ShrinkBudget,
  ) {}

  /**
   * The candidate's outcome: `fails-same` once it failed the same `confirmations` times in a row;
   * a failure that did not come back is inconclusive. `current` is the smallest failing selection
   * so far (for the log's sizes). Confirmations stop at the budget, leaving the candidate inconclusive.
   */
  async judge(selection: SubjectSelection, dimension: ShrinkDimension, current: SubjectSelection): Promise<CandidateOutcome> {
    const confirmations = Math.max(1, this.options.confirmations ?? 1);
    for (let attempt = 1; ; attempt += 1) {
      const adopting = attempt === confirmations;
      const outcome = await this.runOnce(selection, dimension, { current, adopting, attempt: confirmations > 1 ? attempt : undefined });
      if (outcome !== 'fails-same') return attempt === 1 ? outcome : 'inconclusive';
      if (adopting) return outcome;
      if (!this.budget.allowsAnother()) return 'inconclusive';
    }
  }

  private async runOnce(
    selection: SubjectSelection,
    dimension: ShrinkDimension,
    { current, adopting, attempt }: { current: SubjectSelection; adopting: boolean; attempt: number | undefined },
  ): Promise<CandidateOutcome> {
    this.runs += 1;
    const run = await this.budget.time(() => this.runSafely(selection));
    const outcome = classifyRun(run, this.options.target);
    const now = outcome === 'fails-same' && adopting ? selection : current;
    if (outcome === 'fails-same') this.failingSeconds.set(selectionKey(selection), run.seconds);
    this.options.onCandidate?.({
      candidate: this.runs,
      dimension,
      ...(attempt !== undefined ? { attempt } : {}),
      selection,
      outcome,
      verdict: run.outcome,
      invariants: run.invariants,
      seconds: run.seconds,
      elapsedMs: this.budget.elapsedMs,
      sizes: { before: sizesOf(this.original), now: sizesOf(now), candidate: sizesOf(selection) },
      ...(run.error ? { error: run.error } : {}),
    });
    return outcome;
  }

  /** A run that throws is an ERROR (inconclusive), not the end of the shrink. */
  private async runSafely(selection: SubjectSelection): Promise<CandidateRun & { error?: string }> {
    const started = this.options.now();
    try {
      return await this.options.runCandidate(selectFrom(this.original, selection));
    } catch (err) {
      const seconds = (this.options.now() - started) / 1000;
      return { outcome: 'ERROR', invariants: [], seconds, error: err instanceof Error ? err.message : String(err) };
    }
  }
}
