import type { ExperimentTemplateInput } from '../fis';
import { requireIsoDuration } from '../fis/iso-duration';

/** The simulator's own parser: what it accepts, the runner times. */
export const isoSeconds = (iso: string): number => requireIsoDuration(iso, 'duration') / 1000;

const DURATION_PARAMETERS = ['duration', 'startInstancesAfterDuration'];

/** Seconds of load after the faults when neither `--tail` nor the template says: a short look at the recovery. */
export const DEFAULT_TAIL_SECONDS = 10;

/**
 * How long a run keeps its load on after the faults (its tail): the template's post-experiment
 * window (FIS's experimentReportConfiguration.postExperimentDuration: what its report covers after
 * the experiment ends), capped like its actions, else DEFAULT_TAIL_SECONDS. An outage leaves a backlog
 * the platform needs tens of seconds to work off while new load keeps arriving; the template that
 * makes it says so, and the recovery becomes part of the run's plan (a slower one still shows as
 * the load running past it).
 */
export function tailSecondsOf(template: ExperimentTemplateInput, maxSeconds?: number): number {
  // the window as the run's template has it (the one the simulator waits out)
  const window = cappedTemplate(template, maxSeconds).experimentReportConfiguration?.postExperimentDuration;
  return window === undefined ? DEFAULT_TAIL_SECONDS : isoSeconds(window);
}

/** A copy of the template whose durations (its report's window too) are at most `maxSeconds` (short runs: CI smoke, demos). */
export function capDurations(template: ExperimentTemplateInput, maxSeconds: number): ExperimentTemplateInput {
  const actions = Object.fromEntries(
    Object.entries(template.actions ?? {}).map(([name, action]) => {
      const parameters = Object.fromEntries(
        Object.entries(action.parameters ?? {}).map(([key, value]) =>
          DURATION_PARAMETERS.includes(key) && isoSeconds(value) > maxSeconds ? [key, `PT${maxSeconds}S`] : [key, value],
        ),
      );
      return [name, { ...action, ...(action.parameters ? { parameters } : {}) }];
    }),
  );
  const report = template.experimentReportConfiguration;
  const window = report?.postExperimentDuration;
  const cappedReport =
    report && window !== undefined && isoSeconds(window) > maxSeconds
      ? { experimentReportConfiguration: { ...report, postExperimentDuration: `PT${maxSeconds}S` } }
      : {};
  return { ...template, actions, ...cappedReport };
}

/** The template a run uses: its durations capped when a cap is given (0 or none: as written). */
export function cappedTemplate(template: ExperimentTemplateInput, maxSeconds?: number): ExperimentTemplateInput {
  return maxSeconds ? capDurations(template, maxSeconds) : template;
}

/** When the last action ends, following startAfter: the experiment's length. */
export function experimentSeconds(template: ExperimentTemplateInput): number {
  const actions = template.actions ?? {};
  const ends = new Map<string, number>();
  const endOf = (name: string, seen: Set<string> = new Set()): number => {
    const known = ends.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) throw new Error(`startAfter cycle at ${name}`);
    seen.add(name);
    const action = actions[name];
    const start = Math.max(0, ...(action?.startAfter ?? []).map((before) => endOf(before, seen)));
    const duration = action?.parameters?.duration ? isoSeconds(action.parameters.duration) : 1;
    const end = start + duration;
    ends.set(name, end);
    return end;
  };
  return Math.max(0, ...Object.keys(actions).map((name) => endOf(name)));
}
