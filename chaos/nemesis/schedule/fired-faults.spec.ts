import type { HistoryEntry, NemesisEvent } from '@imagery/history/history-entry';
import { firedFaults } from './fired-faults';
import { scheduledToxic } from '@imagery/testing/chaos/scheduled-faults';

const T0 = 1_700_000_000_000;
const at = (ms: number, event: NemesisEvent): HistoryEntry => ({ type: 'nemesis', time: T0 + ms, event });
const apiFault = (over: Partial<Extract<NemesisEvent, { kind: 'api-fault' }>>): NemesisEvent => ({
  kind: 'api-fault',
  instance: 'i-worker-2-3',
  generation: 2,
  service: 'dynamodb',
  operation: 'UpdateItem',
  fault: 'ambiguous',
  rule: 'fis/ambiguous-updateitem/seed-104',
  call: 17,
  ...over,
});
const action = (phase: 'start' | 'end', actionId: string, name = 'a'): NemesisEvent => ({
  kind: 'fis-action',
  phase,
  experimentId: 'EXP1',
  action: name,
  actionId,
});
const instance = (phase: 'terminated' | 'died' | 'stopped' | 'started', id: string): NemesisEvent => ({
  kind: 'instance',
  phase,
  instance: id,
  role: id.includes('api') ? 'api' : 'worker',
  slot: 1,
  generation: 0,
});

const history: HistoryEntry[] = [
  { type: 'workload', time: T0, phase: 'start' },
  at(5_000, { kind: 'fis-experiment', phase: 'start', experimentId: 'EXP1' }),
  at(5_100, action('start', 'aws:ec2:terminate-instances', 'terminate-worker')),
  at(5_300, instance('terminated', 'i-worker-1-1')),
  at(5_400, action('end', 'aws:ec2:terminate-instances', 'terminate-worker')),
  at(6_000, apiFault({ requestId: 's1-4-2', imageId: 'img-4', occurrence: 2 })),
  at(
    7_000,
    apiFault({ instance: 'i-api-1-1', fault: 'crash', when: 'after', operation: 'UpdateItem', requestId: 's1-5-2', occurrence: 1 }),
  ),
  at(7_050, instance('died', 'i-api-1-1')),
  at(8_000, apiFault({ service: 'sqs', operation: 'ReceiveMessage', fault: 'throttle' })),
  at(9_000, {
    kind: 'toxic',
    phase: 'added',
    proxy: 's3',
    name: 't1',
    toxic: 'reset_peer',
    attributes: { timeout: 0 },
    stream: 'upstream',
    toxicity: 0.3,
  }),
  at(10_000, { kind: 'proxy', phase: 'disabled', proxy: '*' }),
  at(10_600, { kind: 'proxy', phase: 'observed-disabled', proxy: 'dynamodb-a' }),
  at(10_700, { kind: 'proxy', phase: 'observed-disabled', proxy: 'api-1' }),
  at(20_000, { kind: 'proxy', phase: 'enabled', proxy: '*' }),
  at(29_000, { kind: 'toxic', phase: 'removed', proxy: 's3', name: 't1', toxic: 'reset_peer' }),
  at(30_000, { kind: 'fis-experiment', phase: 'end', experimentId: 'EXP1' }),
];

describe('firedFaults: the faults a run fired, as a schedule that executes them again', () => {
  const schedule = firedFaults(history);

  it('times everything from the load start, and the experiment from its start to its end', () => {
    expect(schedule.startsAt).toBe(5_000);
    expect(schedule.endsAt).toBe(30_000);
    expect(schedule.faults.map((f) => [f.type, f.at])).toEqual([
      ['kill', 5_100],
      ['api', 6_000],
      ['api', 7_000],
      ['api', 8_000],
      ['toxic', 9_000],
      ['network', 10_000],
      ['network', 10_000],
    ]);
  });

  it('keys an API fault by its role, request context and occurrence (never a generation); one without a context by its slot', () => {
    expect(schedule.faults.filter((f) => f.type === 'api')).toEqual([
      expect.objectContaining({
        role: 'worker',
        service: 'dynamodb',
        operation: 'UpdateItem',
        fault: { kind: 'ambiguous' },
        match: { requestId: 's1-4-2', imageId: 'img-4', occurrence: 2 },
      }),
      expect.objectContaining({ role: 'api', fault: { kind: 'crash', when: 'after' }, match: { requestId: 's1-5-2', occurrence: 1 } }),
      expect.objectContaining({ role: 'worker', operation: 'ReceiveMessage', match: { slot: 'worker-2', occurrence: 1 } }),
    ]);
  });

  it("kills are the nemesis's, by slot, at the action's start; a crash fault's death is not a second fault", () => {
    expect(schedule.faults.filter((f) => f.type === 'kill')).toEqual([{ type: 'kill', at: 5_100, slot: 'worker-1', action: 'terminate' }]);
  });

  it('a toxic keeps its window and its stream and toxicity; a cut by scope is named by the proxies Toxiproxy showed cut', () => {
    expect(schedule.faults.filter((f) => f.type !== 'api' && f.type !== 'kill')).toEqual([
      scheduledToxic(9_000, 29_000),
      { type: 'network', at: 10_000, until: 20_000, target: 'dynamodb-a' },
      { type: 'network', at: 10_000, until: 20_000, target: 'api-1' },
    ]);
  });

  it('a stop with a restart keeps when the instance was started again', () => {
    const stopped = firedFaults([
      { type: 'workload', time: T0, phase: 'start' },
      at(1_000, action('start', 'aws:ec2:stop-instances')),
      at(4_000, instance('stopped', 'i-api-2-1')),
      at(9_000, action('end', 'aws:ec2:stop-instances')),
      at(9_500, instance('started', 'i-api-2-1')),
    ]);
    expect(stopped.faults).toEqual([{ type: 'kill', at: 1_000, slot: 'api-2', action: 'stop', until: 9_500 }]);
  });
});
