import type { Adversary } from '@imagery/nest-platform';

/**
 * What a catcher asks of the workload besides its defaults (load/run-workload.ts WorkloadOptions,
 * spelled out here: the adversaries never import the load generator).
 */
export interface CatcherWorkload {
  /** Share of good journeys that send their create again once their image is processed (a late create). */
  readonly lateCreateShare?: number;
  /** Share of good journeys that upload two different images to their id at once (rival writers). */
  readonly rivalUploadShare?: number;
}

/** An experiment meant to catch an adversary, and the invariant its report should name. */
export interface Catcher {
  readonly experiment: string;
  readonly invariant: string;
  /** The workload that reaches the defect, when the default one does not. */
  readonly workload?: CatcherWorkload;
}

/** One adversary as registered: what it does wrong, what should catch it, and the build itself. */
export interface AdversaryDefinition {
  /** `seed`, or a mutant's name (loaded as CHAOS_BUILD=mutant:<name>). */
  readonly name: string;
  /** One line: the deliberate defect. */
  readonly description: string;
  /** The experiments meant to catch it, each with the invariant expected to break. */
  readonly catchers: readonly Catcher[];
  /**
   * Why the defect may go unseen (another defence of the real build covers for it), so a miss in
   * the matrix is read as "the experiments do not reach this hole", not as noise.
   */
  readonly maskedBy?: string;
  readonly build: Omit<Adversary, 'label'>;
}
