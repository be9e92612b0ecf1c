import type { ExperimentTemplateInput } from '../fis';
import { requireIsoDuration } from '../fis/iso-duration';

/** The simulator's own parser: what it accepts, the runner times. */
export const isoSeconds = (iso: string): number => requireIsoDuration(iso, 'duration') / 1000;

const DURATION_PARAMETERS = ['duration', 'startInstancesAfterDuration'];

/** A copy of the template whose durations are at most `maxSeconds` (short runs: CI smoke, demos). */
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
  return { ...template, actions };
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
