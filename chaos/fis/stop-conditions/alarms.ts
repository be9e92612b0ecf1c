import { AlarmEvaluator, gaugeAbove, rateAbove } from './alarm-rules';

/**
 * The local "CloudWatch alarms" a template's stop conditions may name, evaluated on the
 * platform's Prometheus metrics (see libs/nest-platform metrics). A stop condition's `value` is
 * the alarm ARN, `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`; only the name is used
 * locally, so the templates that run in AWS (with real alarms of the same names) run here too.
 * Adding an alarm is adding an entry here.
 */
export interface AlarmDefinition {
  readonly name: string;
  readonly description: string;
  readonly create: () => AlarmEvaluator;
}

export const LOCAL_ALARMS: readonly AlarmDefinition[] = [
  {
    name: 'imagery-dlq-not-empty',
    description: 'A message reached the dead-letter queue: something failed maxReceiveCount times.',
    // Every worker reports the same queue's depth, so take the max rather than double-count.
    create: gaugeAbove({ metric: 'imagery_queue_messages', labels: { queue: 'dead_letter', kind: 'visible' }, aggregate: 'max', threshold: 0 }),
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
];

export const alarmNameOf = (arn: string): string | undefined => /^arn:aws:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(arn)?.[1];

export type AlarmCatalog = ReadonlyMap<string, AlarmDefinition>;

export const alarmCatalog = (alarms: readonly AlarmDefinition[] = LOCAL_ALARMS): AlarmCatalog => new Map(alarms.map((a) => [a.name, a]));
