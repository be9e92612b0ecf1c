/**
 * What a shrink reduces: a failing run's faults (its fault schedule's entries), its journeys (its
 * recorded workload's), and the load it ran before the first fault and after the last. Generic in
 * both element types: the shrinker never looks inside them, the runner that executes a candidate does.
 */
export interface ShrinkSubject<F, J> {
  readonly faults: readonly F[];
  readonly journeys: readonly J[];
  readonly warmupSeconds: number;
  readonly tailSeconds: number;
}

/**
 * A candidate as positions into the original subject's lists: what the cache keys and the shrink
 * log records (exact, and small beside the elements themselves).
 */
export interface SubjectSelection {
  readonly faults: readonly number[];
  readonly journeys: readonly number[];
  readonly warmupSeconds: number;
  readonly tailSeconds: number;
}

/** Every element of the original, in order. */
export const selectAll = (subject: ShrinkSubject<unknown, unknown>): SubjectSelection => ({
  faults: subject.faults.map((_, i) => i),
  journeys: subject.journeys.map((_, i) => i),
  warmupSeconds: subject.warmupSeconds,
  tailSeconds: subject.tailSeconds,
});

/** The subject a selection names. */
export function selectFrom<F, J>(original: ShrinkSubject<F, J>, selection: SubjectSelection): ShrinkSubject<F, J> {
  return {
    faults: selection.faults.map((i) => original.faults[i]),
    journeys: selection.journeys.map((i) => original.journeys[i]),
    warmupSeconds: selection.warmupSeconds,
    tailSeconds: selection.tailSeconds,
  };
}

/** One string per distinct candidate. */
export const selectionKey = (s: SubjectSelection): string =>
  `f${s.faults.join(',')}|j${s.journeys.join(',')}|w${s.warmupSeconds}|t${s.tailSeconds}`;

/** The sizes a progress line and a summary report. */
export interface SubjectSizes {
  readonly faults: number;
  readonly journeys: number;
  readonly warmupSeconds: number;
  readonly tailSeconds: number;
}

export const sizesOf = (s: SubjectSelection | ShrinkSubject<unknown, unknown>): SubjectSizes => ({
  faults: s.faults.length,
  journeys: s.journeys.length,
  warmupSeconds: s.warmupSeconds,
  tailSeconds: s.tailSeconds,
});
