/** The default time a shrink may take (`--budget`). */
export const DEFAULT_SHRINK_BUDGET_MS = 15 * 60_000;

/**
 * A shrink's time budget. A candidate is started only if it should end within the budget, judged
 * by the longest of the last three runs: runs shrink as the subject does, and a run that overran
 * would make the whole shrink overrun, which the budget promises it does not.
 */
export class ShrinkBudget {
  private readonly startedMs: number;
  private readonly recentMs: number[] = [];

  constructor(
    readonly budgetMs: number,
    private readonly now: () => number,
  ) {
    this.startedMs = now();
  }

  get elapsedMs(): number {
    return this.now() - this.startedMs;
  }

  /** Whether another candidate run should fit. */
  allowsAnother(): boolean {
    const estimate = Math.max(0, ...this.recentMs);
    return this.elapsedMs + estimate <= this.budgetMs;
  }

  /** Times one run (the clock's measure, whatever the run reports about itself). */
  async time<R>(run: () => Promise<R>): Promise<R> {
    const start = this.now();
    try {
      return await run();
    } finally {
      this.recentMs.push(this.now() - start);
      if (this.recentMs.length > 3) this.recentMs.shift();
    }
  }
}
