import { toxicName } from '@imagery/history/toxic-name';
import type { HistoryEntry, NemesisEvent } from '@imagery/history/history-entry';
import { actionEffects } from './action-effects';
import { T0, apiFault, nemesis } from '@imagery/testing/checker/run-builder';

/** A FIS action's start and end, `ms` apart, as the nemesis recorder writes them. */
const action = (name: string, actionId: string, at: number, ms = 10_000): HistoryEntry[] => [
  nemesis(at, { kind: 'fis-action', phase: 'start', experimentId: 'EXP1', action: name, actionId }),
  nemesis(at + ms, { kind: 'fis-action', phase: 'end', experimentId: 'EXP1', action: name, actionId, state: 'completed' }),
];
const instance = (at: number, phase: Extract<NemesisEvent, { kind: 'instance' }>['phase']): HistoryEntry =>
  nemesis(at, { kind: 'instance', phase, instance: 'i-api-1-1', role: 'api', slot: 1, generation: 0 });
const sorted = (entries: HistoryEntry[]) => [...entries].sort((a, b) => a.time - b.time);

describe('actionEffects: did each fault action of the history fire?', () => {
  it('API faults: counted by the rule that names the action, not by whatever fired in its window', () => {
    const history = sorted([
      ...action('sqs-errors', 'aws:fis:inject-api-internal-error', T0),
      ...action('ddb-throttle', 'aws:fis:inject-api-throttle-error', T0),
      ...action('lost-writes', 'local:api:ambiguous', T0 + 20_000),
      ...action('crash', 'local:process:crash-at', T0 + 40_000),
      apiFault(T0 + 1_000, { rule: 'fis/sqs-errors/seed-7', fault: 'internal-error' }),
      apiFault(T0 + 2_000, { rule: 'fis/sqs-errors/seed-7', fault: 'internal-error' }),
      apiFault(T0 + 41_000, { rule: 'fis/crash/seed-7' }),
    ]);
    expect(actionEffects(history)).toEqual([
      { action: 'sqs-errors', actionId: 'aws:fis:inject-api-internal-error', kind: 'api', fired: 2 },
      // sqs-errors' faults fell in its window too: they are not its
      { action: 'ddb-throttle', actionId: 'aws:fis:inject-api-throttle-error', kind: 'api', fired: 0 },
      { action: 'lost-writes', actionId: 'local:api:ambiguous', kind: 'api', fired: 0 },
      { action: 'crash', actionId: 'local:process:crash-at', kind: 'api', fired: 1 },
    ]);
  });

  it("a replay's exact faults count for the action that armed them (`exact/<action>/<n>`), not for another in their window", () => {
    const history = sorted([
      ...action('api-worker-1', 'local:api:exact-fault', T0),
      ...action('throttle-sqs', 'local:api:exact-fault', T0), // a recorded action that fired nothing, replayed as one
      apiFault(T0 + 1_000, { rule: 'exact/api-worker-1/1' }),
      apiFault(T0 + 3_000, { rule: 'exact/api-worker-1/12' }),
    ]);
    expect(actionEffects(history).map((e) => [e.action, e.fired])).toEqual([
      ['api-worker-1', 2],
      ['throttle-sqs', 0],
    ]);
  });

  it('API faults whose rule names no action count by time window', () => {
    const history = sorted([
      ...action('errors', 'aws:fis:inject-api-unavailable-error', T0),
      apiFault(T0 + 500, { rule: 'hand-made' }),
      apiFault(T0 + 60_000, { rule: 'hand-made' }),
    ]);
    expect(actionEffects(history)).toEqual([{ action: 'errors', actionId: 'aws:fis:inject-api-unavailable-error', kind: 'api', fired: 1 }]);
  });

  it('instances: terminated, stopped or died within the window (+2 s); launches and late kills do not count', () => {
    const history = sorted([
      ...action('kill-api', 'aws:ec2:terminate-instances', T0, 1_000),
      ...action('stop-worker', 'aws:ec2:stop-instances', T0 + 20_000, 1_000),
      ...action('reboot', 'aws:ec2:reboot-instances', T0 + 40_000, 1_000),
      ...action('spot', 'aws:ec2:send-spot-instance-interruptions', T0 + 60_000, 1_000),
      instance(T0 + 2_900, 'terminated'), // 1.9 s after the end: within the slack
      instance(T0 + 20_500, 'launched'),
      instance(T0 + 24_000, 'stopped'), // 3 s after the end: not this action's
      instance(T0 + 40_500, 'stopped'),
      instance(T0 + 60_200, 'died'),
    ]);
    expect(actionEffects(history).map((e) => [e.action, e.kind, e.fired])).toEqual([
      ['kill-api', 'instance', 1],
      ['stop-worker', 'instance', 0],
      ['reboot', 'instance', 1],
      ['spot', 'instance', 1],
    ]);
  });

  it("network: only a toxic or a cut proxy observed in place counts, not the recorder's reading of the parameters", () => {
    const slow = toxicName('EXP1/slow-ddb');
    const history = sorted([
      ...action('slow-ddb', 'local:toxiproxy:toxic', T0),
      ...action('latency', 'aws:ssm:send-command', T0 + 20_000),
      ...action('cut-a', 'aws:network:disrupt-connectivity', T0 + 40_000),
      ...action('cut-b', 'aws:network:disrupt-connectivity', T0 + 60_000),
      // what the recorder derives from the parameters: no proof
      nemesis(T0, { kind: 'toxic', phase: 'added', proxy: 'dynamodb-a', name: slow, toxic: 'latency' }),
      nemesis(T0 + 20_000, { kind: 'toxic', phase: 'added', proxy: 'sqs-a', name: toxicName('EXP1/latency'), toxic: 'latency' }),
      nemesis(T0 + 60_000, { kind: 'proxy', phase: 'disabled', proxy: 'api-1' }),
      // what the observer saw in Toxiproxy
      nemesis(T0 + 800, { kind: 'toxic', phase: 'observed', proxy: 'dynamodb-a', name: slow, toxic: 'latency' }),
      nemesis(T0 + 900, { kind: 'toxic', phase: 'observed', proxy: 'dynamodb-b', name: slow, toxic: 'latency' }),
      nemesis(T0 + 20_800, { kind: 'toxic', phase: 'observed', proxy: 'sqs-a', name: 'someone-elses', toxic: 'latency' }),
      nemesis(T0 + 40_700, { kind: 'proxy', phase: 'observed-disabled', proxy: 'sqs-a' }),
    ]);
    expect(actionEffects(history).map((e) => [e.action, e.kind, e.fired])).toEqual([
      ['slow-ddb', 'network', 2],
      ['latency', 'network', 0],
      ['cut-a', 'network', 1],
      ['cut-b', 'network', 0],
    ]);
  });

  it('actions without an observable effect of their own (wait, assert, capacity errors) are not listed', () => {
    const history = sorted([
      ...action('pause', 'aws:fis:wait', T0),
      ...action('alarm-ok', 'aws:cloudwatch:assert-alarm-state', T0),
      ...action('no-capacity', 'aws:ec2:asg-insufficient-instance-capacity-error', T0),
    ]);
    expect(actionEffects(history)).toEqual([]);
    expect(actionEffects([])).toEqual([]);
  });

  it('an action that never ended is judged on everything after its start', () => {
    const history = [
      nemesis(T0, { kind: 'fis-action', phase: 'start', experimentId: 'EXP1', action: 'kill', actionId: 'aws:ec2:terminate-instances' }),
      instance(T0 + 90_000, 'terminated'),
    ];
    expect(actionEffects(history)).toEqual([{ action: 'kill', actionId: 'aws:ec2:terminate-instances', kind: 'instance', fired: 1 }]);
  });
});
