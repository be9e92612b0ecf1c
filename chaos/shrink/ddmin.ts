import type { CandidateOutcome } from './candidate-outcome';
import { OutcomeCache } from './outcome-cache';

/** Tests a candidate (a sub-list of the input, in its order). Only `fails-same` counts as failing. */
export type DdminTest<T> = (candidate: readonly T[]) => Promise<CandidateOutcome>;

export interface DdminOptions {
  /** How many chunks the first round splits the list into (default 2, Zeller's; more for long lists). */
  readonly granularity?: number;
  /**
   * Test complements only, not the chunks themselves (default false: Zeller's order, chunks first).
   * When the failure needs several elements spread over the list, a chunk rarely holds them all:
   * its test is a wasted run. 1-minimality is unaffected (it is decided by the complements).
   */
  readonly complementsOnly?: boolean;
  /** Asked before each test that is not cached: true ends the search with what it has (then not 1-minimal). */
  readonly shouldStop?: () => boolean;
}

export interface DdminResult<T> {
  /** The smallest failing sub-list found (the input itself when nothing smaller failed the same). */
  readonly items: readonly T[];
  /**
   * Every single-element removal from `items` was tested and none failed the same: 1-minimal as
   * delta debugging defines it. False when the search was stopped first.
   */
  readonly oneMinimal: boolean;
  readonly stopped: boolean;
  /** Tests run (cache hits excluded) and lookups the cache answered. */
  readonly tests: number;
  readonly cacheHits: number;
}

type FailsSame = (positions: readonly number[]) => Promise<boolean>;

class Stopped extends Error {}

/**
 * Zeller and Hildebrandt's ddmin ("Simplifying and Isolating Failure-Inducing Input", 2002): split
 * the failing list into n chunks; reduce to a chunk that fails, else to a complement that fails
 * (n − 1), else double n; done when n reaches the list's length with nothing failing — every
 * one-element removal then passes or fails differently. `test(items)` is assumed to fail the same
 * (the caller has seen it). A one-element list is also tested empty, so a failure that needs none
 * of the elements ends empty. Candidates are keyed by position: the same sub-list is tested once.
 */
export async function ddmin<T>(items: readonly T[], test: DdminTest<T>, options: DdminOptions = {}): Promise<DdminResult<T>> {
  const cache = new OutcomeCache<CandidateOutcome>();
  let tests = 0;
  const failsSame: FailsSame = async (positions) => {
    const outcome = await cache.get(positions.join(','), () => {
      if (options.shouldStop?.()) throw new Stopped();
      tests += 1;
      return test(positions.map((p) => items[p]));
    });
    return outcome === 'fails-same';
  };
  let current = items.map((_, p) => p);
  const result = (oneMinimal: boolean, stopped = false): DdminResult<T> => ({
    items: current.map((p) => items[p]),
    oneMinimal,
    stopped,
    tests,
    cacheHits: cache.hits,
  });
  try {
    let n = Math.max(2, Math.floor(options.granularity ?? 2));
    // Where the last complement that failed was: the next round starts there, since the
    // complements before it just passed and most likely still do.
    let from = 0;
    for (;;) {
      if (current.length <= 1) {
        if (current.length === 1 && (await failsSame([]))) current = [];
        return result(true);
      }
      n = Math.min(n, current.length);
      const reduced = await reduceOnce(current, n, from, options.complementsOnly ? undefined : failsSame, failsSame);
      if (reduced) {
        ({ to: current, next: n, at: from } = reduced);
      } else if (n === current.length) {
        return result(true);
      } else {
        n = Math.min(current.length, 2 * n);
        from = 0;
      }
    }
  } catch (err) {
    if (err instanceof Stopped) return result(false, true);
    throw err;
  }
}

/** One ddmin round at granularity n: the first chunk (when tested), else the first complement, that fails the same. */
async function reduceOnce(
  current: readonly number[],
  n: number,
  from: number,
  chunkFailsSame: FailsSame | undefined,
  failsSame: FailsSame,
): Promise<{ to: number[]; next: number; at: number } | undefined> {
  const chunks = split(current, n);
  if (chunkFailsSame) for (const chunk of chunks) if (await chunkFailsSame(chunk)) return { to: chunk, next: 2, at: 0 };
  for (let k = 0; k < n; k += 1) {
    const i = (from + k) % n;
    const complement = chunks.flatMap((chunk, j) => (j === i ? [] : chunk));
    if (await failsSame(complement)) return { to: complement, next: Math.max(n - 1, 2), at: i };
  }
  return undefined;
}

/** `list` cut into n contiguous chunks whose lengths differ by at most one. */
export function split<T>(list: readonly T[], n: number): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i += 1) {
    const end = start + Math.floor((list.length - start) / (n - i));
    chunks.push(list.slice(start, end));
    start = end;
  }
  return chunks;
}
