import type { MetricsReader } from '@imagery/control-plane/control-plane';
import type { FisClock } from '../clock';
import type { TemplateStopCondition } from '../templates/template-model';
import { AlarmCatalog, alarmNameOf } from './alarms';

export interface StopConditionMonitorOptions {
  readonly conditions: readonly TemplateStopCondition[];
  readonly alarms: AlarmCatalog;
  readonly metrics: MetricsReader;
  readonly clock: FisClock;
  readonly intervalMs: number;
  /** Called once, with the reason, when an alarm is in ALARM. */
  onAlarm(reason: string): void;
  log(message: string): void;
}

/**
 * Watches an experiment's `aws:cloudwatch:alarm` stop conditions: scrapes the platform's
 * metrics once per interval and feeds every alarm (each keeps its own history, for rates).
 * A failed scrape is logged and skipped — missing data never stops an experiment, as in
 * CloudWatch where INSUFFICIENT_DATA is not ALARM.
 */
export function watchStopConditions(options: StopConditionMonitorOptions, signal: AbortSignal): Promise<void> {
  const watched = options.conditions
    .filter((c) => c.source === 'aws:cloudwatch:alarm' && c.value)
    .map((c) => ({ arn: c.value as string, alarm: options.alarms.get(alarmNameOf(c.value as string) ?? '') }))
    .filter((w) => w.alarm !== undefined)
    .map((w) => ({ arn: w.arn, name: w.alarm!.name, evaluator: w.alarm!.create() }));
  if (watched.length === 0) return Promise.resolve();
  return (async () => {
    while (!signal.aborted) {
      let samples;
      try {
        samples = await options.metrics.scrape();
      } catch (error) {
        options.log(`stop conditions: scrape failed (${(error as Error).message}); not evaluated this time`);
      }
      if (samples && !signal.aborted) {
        const at = options.clock.now();
        for (const w of watched) {
          const verdict = w.evaluator.evaluate(samples, at);
          if (verdict.state === 'ALARM') {
            options.onAlarm(`Stop condition triggered: alarm ${w.name} is in ALARM (${verdict.reason}) [${w.arn}]`);
            return;
          }
        }
      }
      if (!(await options.clock.sleep(options.intervalMs, signal))) return;
    }
  })();
}
