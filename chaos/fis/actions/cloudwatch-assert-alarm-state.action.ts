import type { AlarmState } from '../stop-conditions/alarm-rules';
import { alarmNameOf } from '../stop-conditions/alarms';
import type { FisAction } from './fis-action';
import { splitList } from './parameters';

const STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/**
 * Checks that each alarm is in one of the given states, and fails (failing the experiment) if not:
 * a guard at the start of an experiment ("only if the system is healthy") or between actions.
 * Locally an alarm is one of the simulator's alarms (stop-conditions/alarms.ts), evaluated on two
 * scrapes of the platform's metrics a second apart (a rate needs two).
 */
export const cloudwatchAssertAlarmState: FisAction = {
  id: 'aws:cloudwatch:assert-alarm-state',
  description: 'Verifies that the alarms are in one of the given states; fails the action otherwise.',
  parameters: {
    alarmArns: {
      description: 'Comma-separated CloudWatch alarm ARNs (at most 5).',
      required: true,
      check: (v) => {
        const arns = splitList(v);
        if (arns.length === 0 || arns.length > 5) return 'alarmArns must name 1 to 5 alarm ARNs';
        const bad = arns.filter((a) => alarmNameOf(a) === undefined);
        return bad.length ? `not CloudWatch alarm ARNs: ${bad.join(', ')}` : undefined;
      },
    },
    alarmStates: {
      description: `Comma-separated states the alarms may be in: ${STATES.join(', ')}.`,
      required: true,
      check: (v) =>
        splitList(v).length > 0 && splitList(v).every((s) => (STATES as readonly string[]).includes(s))
          ? undefined
          : `"${v}" must list states among ${STATES.join(', ')}`,
    },
  },
  targets: {},
  validate: (parameters, context) => {
    const unknown = splitList(parameters.alarmArns)
      .map((arn) => alarmNameOf(arn)!)
      .filter((name) => !context.alarms.has(name));
    return unknown.length
      ? [`alarm(s) ${unknown.join(', ')} not defined locally; known alarms: ${[...context.alarms.keys()].join(', ')}`]
      : [];
  },
  run: async (context) => {
    const wanted = splitList(context.parameters.alarmStates);
    const evaluators = splitList(context.parameters.alarmArns).map((arn) => {
      const name = alarmNameOf(arn)!;
      return { name, evaluator: context.alarms.get(name)!.create() };
    });
    let verdicts = evaluators.map(({ name }) => ({ name, state: 'INSUFFICIENT_DATA', reason: 'not evaluated' }));
    for (let scrape = 0; scrape < 2; scrape++) {
      if (scrape > 0 && !(await context.clock.sleep(1_000, context.signal))) return;
      const samples = await context.controlPlane.metrics.scrape().catch(() => undefined);
      if (!samples) continue; // a failed scrape is insufficient data, as in CloudWatch
      const at = context.clock.now();
      verdicts = evaluators.map(({ name, evaluator }) => ({ name, ...evaluator.evaluate(samples, at) }));
    }
    const wrong = verdicts.filter((v) => !wanted.includes(v.state));
    context.log(verdicts.map((v) => `${v.name}: ${v.state}`).join(', '));
    if (wrong.length)
      throw new Error(`alarm(s) not in ${wanted.join('|')}: ${wrong.map((v) => `${v.name} is ${v.state} (${v.reason})`).join('; ')}`);
  },
};
