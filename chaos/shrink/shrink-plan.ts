import type { CandidateOutcome } from './candidate-outcome';
import { CandidateJudge, type JudgeOptions } from './candidate-judge';
import { ddmin, type DdminOptions } from './ddmin';
import { OutcomeCache } from './outcome-cache';
import { DEFAULT_SHRINK_BUDGET_MS, ShrinkBudget } from './shrink-budget';
import type { ShrinkDimension } from './shrink-log';
import { ShrinkSubject, SubjectSelection, SubjectSizes, selectAll, selectFrom, selectionKey, sizesOf } from './shrink-subject';

/** What a shrink needs besides the subject: how to run a candidate, what failure to keep, its limits. */
export interface ShrinkPlan<F, J> extends JudgeOptions<F, J> {
  /** Default 15 minutes. */
  readonly budgetMs?: number;
  /** Chunks the journeys' first ddmin round makes (default 4). */
  readonly journeyChunks?: number;
  /** Warm-up and tail are halved down to these seconds at least (default 1 each). */
  readonly floors?: { readonly warmupSeconds?: number; readonly tailSeconds?: number };
  /**
   * The journeys the failure most likely needs (those of the images the violations name): tried
   * alone right after the reproduction, before the faults, so that every later candidate runs a
   * small load (a run's drain and final check grow with its journeys) when they fail the same. A
   * guess, never trusted: when they do not, ddmin reduces the journeys as if there were no guess.
   */
  readonly isFocusJourney?: (journey: J) => boolean;
  /**
   * Faults that only act together share a group (one request's attempts at one call: its 2nd fault
   * only fires after its 1st failed, and the SDK's next attempt succeeds unless all of them fail).
   * The faults phase reduces whole groups only: removing one fault of a chain alone passes or has
   * no effect, so fault by fault ddmin would test dead candidates; the few faults of the groups left
   * meet their one-removals in the final pass, on the smaller (cheaper) subject.
   */
  readonly faultGroup?: (fault: F) => string;
  /**
   * False when the fault cannot fire in a run of these journeys (an API fault names its upload's
   * image: without that journey its call never happens). Such faults leave a candidate with the
   * journeys they need, without a run of their own: the run is the same with or without them.
   */
  readonly canFire?: (fault: F, journeys: readonly J[]) => boolean;
}

export interface ShrinkPhase {
  readonly dimension: ShrinkDimension;
  readonly before: SubjectSizes;
  readonly after: SubjectSizes;
  readonly runs: number;
}

export interface ShrinkResult<F, J> {
  /** The whole subject failed the same when run as a candidate; when not, nothing was shrunk. */
  readonly reproduced: boolean;
  /** The smallest subject seen failing the same (the original when nothing smaller did, or when not reproduced). */
  readonly minimal: ShrinkSubject<F, J>;
  readonly selection: SubjectSelection;
  /** Removing any one remaining fault or journey was tested on the final subject and none failed the same. */
  readonly oneMinimal: boolean;
  /** The budget ended the shrink before it was done. */
  readonly budgetExhausted: boolean;
  readonly before: SubjectSizes;
  readonly after: SubjectSizes;
  /** How long a run of the original and of the minimal subject took (absent: never seen failing the same). */
  readonly runSeconds: { readonly before?: number; readonly after?: number };
  /** Runs (a confirmation is one), and candidates answered from the cache instead of run again. */
  readonly runs: number;
  readonly cacheHits: number;
  readonly elapsedMs: number;
  readonly phases: readonly ShrinkPhase[];
}

const DEFAULT_JOURNEY_CHUNKS = 4;

/**
 * Shrinks a failing run: the focus journeys alone first (one run that, when it fails the same, makes
 * every later run cheap), then faults (few, each run expensive; whole groups of faults that act
 * together when the plan has them), then journeys (many: ddmin from chunks, complements only), then
 * warm-up and tail (the floor first, else halved while the failure holds), then a final pass over
 * faults and journeys from one-element removals, repeated until neither changes: that pass is what
 * makes the result 1-minimal on the final subject.
 */
export function shrink<F, J>(subject: ShrinkSubject<F, J>, plan: ShrinkPlan<F, J>): Promise<ShrinkResult<F, J>> {
  return new Shrinker(subject, plan).run();
}

class Shrinker<F, J> {
  private readonly budget: ShrinkBudget;
  private readonly judge: CandidateJudge<F, J>;
  private readonly cache = new OutcomeCache<CandidateOutcome>();
  private readonly phases: ShrinkPhase[] = [];
  private current: SubjectSelection;
  private exhausted = false;

  constructor(
    private readonly original: ShrinkSubject<F, J>,
    private readonly plan: ShrinkPlan<F, J>,
  ) {
    this.budget = new ShrinkBudget(plan.budgetMs ?? DEFAULT_SHRINK_BUDGET_MS, plan.now);
    this.current = selectAll(original);
    this.judge = new CandidateJudge(original, plan, this.budget);
  }

  private get runs(): number {
    return this.judge.runs;
  }

  async run(): Promise<ShrinkResult<F, J>> {
    const reproduced = (await this.test(this.current, 'reproduce')) === 'fails-same';
    let oneMinimal = false;
    if (reproduced) {
      await this.phase('focus journeys', () => this.tryFocusJourneys());
      await this.phase('faults', () => this.reduceFaults());
      await this.phase('journeys', () => this.reduceJourneys());
      await this.phase('warm-up', () => this.halve('warmupSeconds', 'warm-up'));
      await this.phase('tail', () => this.halve('tailSeconds', 'tail'));
      oneMinimal = await this.finalPass();
    }
    return {
      reproduced,
      minimal: selectFrom(this.original, this.current),
      selection: this.current,
      oneMinimal,
      budgetExhausted: this.exhausted,
      before: sizesOf(this.original),
      after: sizesOf(this.current),
      runSeconds: this.runSeconds(),
      runs: this.runs,
      cacheHits: this.cache.hits,
      elapsedMs: this.budget.elapsedMs,
      phases: this.phases,
    };
  }

  private runSeconds(): ShrinkResult<F, J>['runSeconds'] {
    const seconds = (s: SubjectSelection) => this.judge.failingSeconds.get(selectionKey(s));
    const [before, after] = [seconds(selectAll(this.original)), seconds(this.current)];
    return { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
  }

  /** Removals of one fault or one journey from the final subject, until a round removes nothing. */
  private async finalPass(): Promise<boolean> {
    const oneAtATime = (n: number): DdminOptions => ({ granularity: n, complementsOnly: true });
    for (;;) {
      const before = selectionKey(this.current);
      const faults = await this.phase('final faults', () =>
        this.reduceList('faults', 'final faults', oneAtATime(this.current.faults.length)),
      );
      const journeys = await this.phase('final journeys', () =>
        this.reduceList('journeys', 'final journeys', oneAtATime(this.current.journeys.length)),
      );
      if (this.exhausted) return false;
      if (selectionKey(this.current) === before) return faults && journeys;
    }
  }

  /** ddmin over the fault groups when the plan has them (the final pass takes the single faults), else over single faults. */
  private async reduceFaults(): Promise<boolean> {
    const groupOf = this.plan.faultGroup;
    if (groupOf) {
      if (this.exhausted) return false;
      const byGroup = new Map<string, number[]>();
      for (const p of this.current.faults) {
        const key = groupOf(this.original.faults[p]);
        byGroup.set(key, [...(byGroup.get(key) ?? []), p]);
      }
      const groups = [...byGroup.values()];
      if (groups.length < this.current.faults.length) {
        const positions = (chosen: readonly (readonly number[])[]) => chosen.flat().sort((a, b) => a - b);
        const result = await ddmin(groups, (chosen) => this.test({ ...this.current, faults: positions(chosen) }, 'faults'), {
          shouldStop: () => !this.budget.allowsAnother(),
        });
        this.current = { ...this.current, faults: positions(result.items) };
        if (result.stopped) this.exhausted = true;
        return false;
      }
    }
    return this.reduceList('faults', 'faults', {});
  }

  /** The current subject with these journeys, without the faults that cannot fire in them. */
  private withJourneys(journeys: readonly number[]): SubjectSelection {
    const canFire = this.plan.canFire;
    if (!canFire) return { ...this.current, journeys };
    const ran = journeys.map((p) => this.original.journeys[p]);
    return { ...this.current, journeys, faults: this.current.faults.filter((p) => canFire(this.original.faults[p], ran)) };
  }

  /** The focus journeys alone, with every current fault they can fire: adopted when that fails the same. */
  private async tryFocusJourneys(): Promise<void> {
    const focus = this.plan.isFocusJourney;
    if (!focus || !this.budget.allowsAnother()) return;
    const focused = this.current.journeys.filter((p) => focus(this.original.journeys[p]));
    if (focused.length > 0 && focused.length < this.current.journeys.length) await this.test(this.withJourneys(focused), 'focus journeys');
  }

  private async reduceJourneys(): Promise<void> {
    await this.reduceList('journeys', 'journeys', {
      granularity: this.plan.journeyChunks ?? DEFAULT_JOURNEY_CHUNKS,
      complementsOnly: true,
    });
  }

  /**
   * ddmin over one list of the current subject; true when its result is 1-minimal. A journeys
   * candidate leaves out the faults it cannot fire (withJourneys): adopted, it takes that with it.
   */
  private async reduceList(list: 'faults' | 'journeys', dimension: ShrinkDimension, options: DdminOptions): Promise<boolean> {
    if (this.exhausted) return false;
    const candidate = (positions: readonly number[]) =>
      list === 'journeys' ? this.withJourneys(positions) : { ...this.current, faults: positions };
    const result = await ddmin(this.current[list], (positions) => this.test(candidate(positions), dimension), {
      ...options,
      shouldStop: () => !this.budget.allowsAnother(),
    });
    // test() adopted every candidate that failed the same, so the current subject is ddmin's result already.
    if (result.items.join(',') !== this.current[list].join(',')) this.current = candidate(result.items);
    if (result.stopped) this.exhausted = true;
    return result.oneMinimal;
  }

  /**
   * The floor first (most failures need no warm-up or tail: one run instead of several halvings),
   * else halves the duration while the failure holds.
   */
  private async halve(duration: 'warmupSeconds' | 'tailSeconds', dimension: ShrinkDimension): Promise<void> {
    const floor = this.plan.floors?.[duration] ?? 1;
    const tryDuration = async (seconds: number): Promise<boolean> => {
      if (this.exhausted) return false;
      if (!this.budget.allowsAnother()) {
        this.exhausted = true;
        return false;
      }
      return (await this.test({ ...this.current, [duration]: seconds }, dimension)) === 'fails-same';
    };
    if (Math.floor(this.current[duration] / 2) > floor && (await tryDuration(floor))) return;
    for (;;) {
      const next = Math.max(floor, Math.floor(this.current[duration] / 2));
      if (next >= this.current[duration] || !(await tryDuration(next))) return;
    }
  }

  private async phase<R>(dimension: ShrinkDimension, reduce: () => Promise<R>): Promise<R> {
    const before = sizesOf(this.current);
    const runs = this.runs;
    const result = await reduce();
    this.phases.push({ dimension, before, after: sizesOf(this.current), runs: this.runs - runs });
    return result;
  }

  /**
   * A candidate's outcome: from the cache, else judged on the platform. Every candidate is a
   * reduction of the current subject, and each phase adopts the first that fails the same: so does
   * this, at once, so the smallest failing subject is known whenever the shrink ends.
   */
  private async test(selection: SubjectSelection, dimension: ShrinkDimension): Promise<CandidateOutcome> {
    const outcome = await this.cache.get(selectionKey(selection), () => this.judge.judge(selection, dimension, this.current));
    if (outcome === 'fails-same') this.current = selection;
    return outcome;
  }
}
