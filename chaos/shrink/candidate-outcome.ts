/**
 * What a shrink candidate's run means for the shrinker. Only `fails-same` counts as "still
 * failing"; a candidate that passes, fails with other invariants, or cannot be judged
 * (INCONCLUSIVE, INCOMPLETE, STOPPED, a run that threw) is treated alike: not a reproduction.
 */
export type CandidateOutcome = 'fails-same' | 'passes' | 'fails-differently' | 'inconclusive';

/** A run's verdict outcome (the checker's VerdictOutcome), plus ERROR for a run that threw. */
export type RunOutcome = 'PASS' | 'FAIL' | 'INCONCLUSIVE' | 'STOPPED' | 'INCOMPLETE' | 'ERROR';

/** What running one candidate on the platform reports. */
export interface CandidateRun {
  readonly outcome: RunOutcome;
  /** The names of the invariants the run violated (e.g. `nothing-lost`), repeats allowed. */
  readonly invariants: readonly string[];
  /** How long the run took, as the runner measured it. */
  readonly seconds: number;
}

/** The failure a shrink preserves: the violated invariant names of the recorded run. */
export interface TargetFailure {
  readonly invariants: readonly string[];
  /**
   * Preserve only this invariant (`--invariant`): a candidate fails the same when it violates it,
   * whatever else it violates. Without it, the violated names must be the same set.
   */
  readonly only?: string;
}

/** Whether two runs violated the same invariants (names as a set: order and repeats do not matter). */
export function sameFailure(a: { readonly invariants: readonly string[] }, b: { readonly invariants: readonly string[] }): boolean {
  const left = new Set(a.invariants);
  const right = new Set(b.invariants);
  return left.size > 0 && left.size === right.size && [...left].every((name) => right.has(name));
}

/** A candidate run, judged against the failure being preserved. */
export function classifyRun(run: Pick<CandidateRun, 'outcome' | 'invariants'>, target: TargetFailure): CandidateOutcome {
  if (run.outcome === 'PASS') return 'passes';
  if (run.outcome !== 'FAIL') return 'inconclusive';
  const same = target.only !== undefined ? run.invariants.includes(target.only) : sameFailure(target, run);
  return same ? 'fails-same' : 'fails-differently';
}
