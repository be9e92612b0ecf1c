/**
 * Outcomes of candidates already tested, by a key naming the candidate exactly: a candidate run
 * costs a whole experiment, so the same one is never run twice (ddmin meets the same subset again
 * at granularity 2, where subsets and complements coincide, and the final pass re-tests subjects).
 */
export class OutcomeCache<O> {
  private readonly outcomes = new Map<string, O>();
  private hitCount = 0;

  /** The cached outcome of `key`, or `run()`'s (then cached). */
  async get(key: string, run: () => Promise<O>): Promise<O> {
    const known = this.outcomes.get(key);
    if (known !== undefined) {
      this.hitCount += 1;
      return known;
    }
    const outcome = await run();
    this.outcomes.set(key, outcome);
    return outcome;
  }

  /** Lookups answered without running. */
  get hits(): number {
    return this.hitCount;
  }
}
