import type { CandidateOutcome, CandidateRun } from '../../../chaos/shrink/candidate-outcome';
import type { ShrinkSubject } from '../../../chaos/shrink/shrink-subject';

/** A clock only the synthetic runs move: each run advances it by its seconds. */
export class FakeClock {
  ms = 0;
  readonly now = (): number => this.ms;
}

/** What a synthetic platform makes of a subject: a FAIL with these invariants, or a PASS (undefined). */
export type SyntheticFailure<F, J> = (subject: ShrinkSubject<F, J>) => CandidateRun['outcome'] | readonly string[] | undefined;

/**
 * A platform stand-in: runs a candidate in `secondsPerRun` of fake time (a number, or one per
 * subject) and reports what `failure` says of it. Remembers every subject it ran.
 */
export function syntheticRunner<F, J>(
  failure: SyntheticFailure<F, J>,
  clock: FakeClock,
  secondsOf: number | ((subject: ShrinkSubject<F, J>) => number) = 40,
) {
  const ran: ShrinkSubject<F, J>[] = [];
  const runCandidate = (subject: ShrinkSubject<F, J>): Promise<CandidateRun> => {
    ran.push(subject);
    const secondsPerRun = typeof secondsOf === 'number' ? secondsOf : secondsOf(subject);
    clock.ms += secondsPerRun * 1000;
    const verdict = failure(subject);
    if (verdict === undefined) return Promise.resolve({ outcome: 'PASS', invariants: [], seconds: secondsPerRun });
    if (typeof verdict === 'string') return Promise.resolve({ outcome: verdict, invariants: [], seconds: secondsPerRun });
    return Promise.resolve({ outcome: 'FAIL', invariants: verdict, seconds: secondsPerRun });
  };
  return { runCandidate, ran };
}

/** `list` without its element at `index`. */
export const without = <T>(list: readonly T[], index: number): T[] => list.filter((_, i) => i !== index);

/** Every one-element removal from `list` (for a one-element list: the empty list). */
export const oneRemovals = <T>(list: readonly T[]): T[][] => list.map((_, i) => without(list, i));

/** A synchronous oracle as the async one ddmin calls, counting its calls per candidate. */
export function countingOracle<T>(oracle: (candidate: readonly T[]) => CandidateOutcome) {
  const calls = new Map<string, number>();
  const test = (candidate: readonly T[]): Promise<CandidateOutcome> => {
    const key = JSON.stringify(candidate);
    calls.set(key, (calls.get(key) ?? 0) + 1);
    return Promise.resolve(oracle(candidate));
  };
  return { test, calls };
}

/** Fails the same when the candidate holds every culprit, else passes. */
export const needsAll =
  <T>(...culprits: T[]) =>
  (candidate: readonly T[]): CandidateOutcome =>
    culprits.every((c) => candidate.includes(c)) ? 'fails-same' : 'passes';

/** 0 … n − 1. */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
