import type { AlarmEvaluator, AlarmState, AlarmVerdict } from './alarm-rules';

/**
 * Alarm states set from outside the simulator, like CloudWatch's SetAlarmState: the streaming
 * invariant check (chaos/runner/streaming-check.ts) raises `imagery-invariant-violated` here,
 * from the runner's process or another one, over HTTP (`POST /local/alarms/<name>/state`).
 * Unlike CloudWatch, where the next evaluation overrides a set state, a state set to ALARM stays
 * until it is set again (to OK, which clears it): a broken invariant never heals.
 */
export class AlarmOverrides {
  private readonly states = new Map<string, AlarmVerdict & { readonly at: number }>();

  set(name: string, state: AlarmState, reason: string, at: number): void {
    if (state === 'ALARM') this.states.set(name, { state, reason, at });
    else this.states.delete(name);
  }

  get(name: string): (AlarmVerdict & { readonly at: number }) | undefined {
    return this.states.get(name);
  }
}

/** An evaluator that answers the set state while one is set, else its own rule's. */
export function overridable(name: string, evaluator: AlarmEvaluator, overrides: AlarmOverrides): AlarmEvaluator {
  return {
    evaluate: (samples, atMs) => {
      // The rule still sees every scrape, so a rate keeps its history while overridden.
      const own = evaluator.evaluate(samples, atMs);
      return overrides.get(name) ?? own;
    },
  };
}

/** An alarm with no metric rule: only a set state raises it. */
export const setStateOnly = (what: string) => (): AlarmEvaluator => ({
  evaluate: () => ({ state: 'INSUFFICIENT_DATA', reason: `set only by ${what}` }),
});
