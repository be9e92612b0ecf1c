import { AlarmOverrides, overridable, setStateOnly } from './alarm-overrides';
import { AlarmEvaluator, gaugeAbove, rateAbove } from './alarm-rules';

/**
 * The local "CloudWatch alarms" a template's stop conditions may name, evaluated on the
 * platform's Prometheus metrics (see libs/nest-platform metrics). A stop condition's `value` is
 * the alarm ARN, `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`; only the name is used
 * locally, so the templates that run in AWS (with real alarms of the same names) run here too.
 * Adding an alarm is adding an entry here.
 */
/** Raised by the runner's streaming invariant check (chaos/runner/streaming-check.ts). */
export const INVARIANT_ALARM = 'imagery-invariant-violated';

export interface AlarmDefinition {
  readonly name: string;
  readonly description: string;
  readonly create: () => AlarmEvaluator;
}

export const LOCAL_ALARMS: readonly AlarmDefinition[] = [
  {
    name: 'imagery-dlq-not-empty',
    description: 'A message reached the dead-letter queue during the experiment: something failed maxReceiveCount times.',
    // Every worker reports the same queue's depth, so take the max rather than double-count; dead
    // letters of earlier runs are the baseline, not an alarm (they would stop every later run).
    create: gaugeAbove({
      metric: 'imagery_queue_messages',
      labels: { queue: 'dead_letter', kind: 'visible' },
      aggregate: 'max',
      threshold: 0,
      sinceLowest: true,
    }),
  },
  {
    name: 'imagery-api-5xx-rate',
    description: 'The API answers more than 5 server errors per second over 10 s (a retrying client is not coping).',
    create: rateAbove({ metric: 'imagery_http_requests_total', labels: { role: 'api', status: /5../ }, windowMs: 10_000, threshold: 5 }),
  },
  {
    name: 'imagery-jobs-error-rate',
    description: 'Workers fail more than 5 jobs per second over 10 s.',
    create: rateAbove({ metric: 'imagery_jobs_total', labels: { role: 'worker', outcome: 'error' }, windowMs: 10_000, threshold: 5 }),
  },
  {
    name: INVARIANT_ALARM,
    description:
      'The streaming check saw an invariant already broken for good during the run ' +
      '(a second processed object, an image stuck, an acknowledged write lost).',
    create: setStateOnly('the streaming invariant check (POST /local/alarms/imagery-invariant-violated/state)'),
  },
];

export const alarmNameOf = (arn: string): string | undefined => /^arn:aws:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(arn)?.[1];

export type AlarmCatalog = ReadonlyMap<string, AlarmDefinition>;

/** The catalog; given overrides, every alarm answers a state set from outside (SetAlarmState) while one is set. */
export const alarmCatalog = (alarms: readonly AlarmDefinition[] = LOCAL_ALARMS, overrides?: AlarmOverrides): AlarmCatalog =>
  new Map(alarms.map((a) => [a.name, overrides ? { ...a, create: () => overridable(a.name, a.create(), overrides) } : a]));
