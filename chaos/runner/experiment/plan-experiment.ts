import type { ExperimentTemplateInput } from '../../fis';
import { loadExperimentTemplate } from '../../experiments/load-experiment-template';
import type { FisExperiment } from '../fis-experiment';
import { currentCommit, effectiveFisSeed } from '../../report/replay-record';
import { experimentStartOf, scheduleToTemplate } from '../../nemesis/schedule/schedule-template';
import { cappedTemplate, experimentSeconds } from '../template-timing';
import type { ExperimentRunOptions } from './run-options';

/** What a run is set to do before anything starts: its faults, how long it loads, its FIS seed, the code it runs. */
export interface ExperimentPlan {
  readonly template: ExperimentTemplateInput;
  readonly faultSeconds: number;
  /** Warm-up, faults and tail: how long new journeys start. */
  readonly loadSeconds: number;
  /** When the FIS experiment starts, ms into the load: after the warm-up, or a replayed schedule's own start. */
  readonly experimentStartMs: number;
  readonly fisSeed: number;
  readonly commit: string;
  readonly dirty: boolean;
}

type PlanOptions = Pick<
  ExperimentRunOptions,
  'experiment' | 'seed' | 'seedExplicit' | 'fisSeed' | 'warmupSeconds' | 'tailSeconds' | 'maxFaultSeconds' | 'awsTemplateId' | 'schedule'
>;

/**
 * The template (the stack's in AWS; a given schedule compiled, with the experiment's stop conditions;
 * else the local JSON one, its faults capped), its timing and seeds.
 */
export async function planExperiment(fis: FisExperiment, options: PlanOptions): Promise<ExperimentPlan> {
  const template = options.awsTemplateId
    ? await fis.template(options.awsTemplateId)
    : options.schedule
      ? scheduleToTemplate(options.schedule, { name: options.experiment, stopConditions: ownStopConditions(options.experiment) })
      : cappedTemplate(loadExperimentTemplate(options.experiment), options.maxFaultSeconds);
  // A schedule's exact API faults stay armed past its end (schedule-template.ts): the load keeps the recorded length.
  const faultSeconds = options.schedule ? (options.schedule.endsAt - options.schedule.startsAt) / 1000 : experimentSeconds(template);
  const loadSeconds = Math.ceil(options.warmupSeconds + faultSeconds + options.tailSeconds);
  const tags = (template as { tags?: Record<string, string> }).tags;
  const fisSeed = options.fisSeed ?? effectiveFisSeed(options.seed, options.seedExplicit ?? false, tags);
  const experimentStartMs = options.schedule ? experimentStartOf(options.schedule) : options.warmupSeconds * 1000;
  return { template, faultSeconds, loadSeconds, experimentStartMs, fisSeed, ...currentCommit() };
}

/** The named experiment's stop conditions, when it is one of chaos/experiments (a replayed schedule stops the same way). */
export function ownStopConditions(experiment: string) {
  try {
    return loadExperimentTemplate(experiment).stopConditions;
  } catch {
    return undefined;
  }
}
