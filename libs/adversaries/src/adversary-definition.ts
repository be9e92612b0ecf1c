import type { Adversary } from '@imagery/nest-platform';

/** An experiment meant to catch an adversary, and the invariant its report should name. */
export interface Catcher {
  readonly experiment: string;
  readonly invariant: string;
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
