import { FisTestKit, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';
import { getExperiment, startTemplate } from '@imagery/testing/fis/run-template';
import { FIS_ACTIONS } from '../../fis/actions';
import { alarmCatalog } from '../../fis/stop-conditions/alarms';
import { templateProblems } from '../../fis/templates/template-validator';
import { experimentSeconds } from '../../runner/template-timing';
import { scheduledApiFault, scheduledToxic } from '@imagery/testing/chaos/scheduled-faults';
import type { FaultSchedule } from './fault-schedule';
import { experimentStartOf, scheduleToTemplate } from './schedule-template';

const api = scheduledApiFault;

const schedule: FaultSchedule = {
  startsAt: 5_000,
  endsAt: 65_000,
  faults: [
    api(6_000),
    api(7_500),
    api(8_000, { role: 'api', fault: { kind: 'crash', when: 'after' } }),
    api(9_000, { operation: 'ReceiveMessage', service: 'sqs', fault: { kind: 'throttle' }, match: { slot: 'worker-2', occurrence: 1 } }),
    api(9_500, { operation: 'ReceiveMessage', service: 'sqs', fault: { kind: 'throttle' }, match: { slot: 'worker-2', occurrence: 1 } }),
    api(30_000),
    { type: 'kill', at: 10_000, slot: 'worker-1', action: 'terminate' },
    { type: 'kill', at: 12_000, slot: 'api-2', action: 'stop', until: 42_000 },
    scheduledToxic(15_000, 45_000),
    { type: 'network', at: 20_000, until: 50_000, target: 'dynamodb-a' },
  ],
};
const stopConditions = [{ source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:imagery-dlq-not-empty' }];

describe('scheduleToTemplate: a fault schedule as a local FIS template', () => {
  const template = scheduleToTemplate(schedule, { name: 'kill-worker', stopConditions });

  it('is a template the simulator accepts', () => {
    expect(templateProblems(template, { actions: FIS_ACTIONS, alarms: alarmCatalog() })).toEqual([]);
  });

  it('starts one arming lead (2 s) before the recorded experiment (not before the load), ends with it, stops like it', () => {
    expect(experimentStartOf(schedule)).toBe(3_000);
    expect(experimentStartOf({ ...schedule, startsAt: 1_500 })).toBe(0);
    expect(experimentSeconds(template)).toBe(62);
    expect(template.stopConditions).toEqual(stopConditions);
    expect(scheduleToTemplate({ ...schedule, faults: [] }, { name: 'x' }).stopConditions).toEqual([{ source: 'none' }]);
  });

  it('arms API faults by role and 5 s window, 2 s ahead, for 22 s (also past the end), each naming its call or its slot and time', () => {
    const armed = Object.entries(template.actions).filter(([, a]) => a.actionId === 'local:api:exact-fault');
    const view = armed.map(([, a]) => ({
      role: a.targets?.Roles,
      after: a.startAfter,
      faults: (JSON.parse(a.parameters!.faults) as { operation: string; match: unknown; afterMs?: number }[]).map((f) =>
        f.afterMs === undefined ? [f.operation, f.match] : [f.operation, f.match, f.afterMs],
      ),
      duration: a.parameters!.duration,
    }));
    expect(view).toEqual([
      {
        role: 'role-worker',
        after: undefined,
        faults: [
          ['UpdateItem', { requestId: 'r-6000', occurrence: 1 }],
          ['UpdateItem', { requestId: 'r-7500', occurrence: 1 }],
          // calls no request made: the slot's first such call from (about) its recorded time on
          ['ReceiveMessage', { slot: 'worker-2', occurrence: 1 }, 5_750],
          ['ReceiveMessage', { slot: 'worker-2', occurrence: 1 }, 6_250],
        ],
        duration: 'PT22S',
      },
      { role: 'role-api', after: undefined, faults: [['UpdateItem', { requestId: 'r-8000', occurrence: 1 }]], duration: 'PT22S' },
      {
        role: 'role-worker',
        after: ['wait-25000ms'],
        faults: [['UpdateItem', { requestId: 'r-30000', occurrence: 1 }]],
        duration: 'PT22S',
      },
    ]);
    expect(template.actions['wait-25000ms']).toEqual({ actionId: 'aws:fis:wait', parameters: { duration: 'PT25S' } });
  });

  it('keeps a recorded action that fired nothing as an action that breaks nothing, under its own name', () => {
    const idle = scheduleToTemplate(
      { ...schedule, idleActions: [{ action: 'throttle-sqs', actionId: 'aws:fis:inject-api-throttle-error' }] },
      { name: 'sqs-dynamodb-impairment' },
    );
    expect(templateProblems(idle, { actions: FIS_ACTIONS, alarms: alarmCatalog() })).toEqual([]);
    expect(idle.actions['throttle-sqs']).toMatchObject({ actionId: 'local:api:exact-fault', parameters: { faults: '[]' } });
    expect(idle.actions['throttle-sqs'].startAfter).toBeUndefined(); // armed (with nothing) from the start, as its window was
    expect(template.actions['throttle-sqs']).toBeUndefined();
  });

  it('pins kills to their slot, and keeps toxics and cuts with their windows', () => {
    expect(template.actions['kill-7']).toEqual({
      actionId: 'aws:ec2:terminate-instances',
      targets: { Instances: 'slot-worker-1' },
      startAfter: ['wait-7000ms'],
    });
    expect(template.targets?.['slot-worker-1']).toMatchObject({ resourceTags: { Name: 'worker-1' }, selectionMode: 'ALL' });
    expect(template.actions['kill-8']).toMatchObject({
      actionId: 'aws:ec2:stop-instances',
      parameters: { startInstancesAfterDuration: 'PT30S' },
      startAfter: ['wait-9000ms'],
    });
    expect(template.actions['toxic-9']).toEqual({
      actionId: 'local:toxiproxy:toxic',
      parameters: { proxy: 's3', type: 'reset_peer', attributes: '{"timeout":0}', stream: 'upstream', toxicity: '0.3', duration: 'PT30S' },
      startAfter: ['wait-12000ms'],
    });
    expect(template.actions['network-10']).toMatchObject({
      actionId: 'aws:network:disrupt-connectivity',
      parameters: { proxies: 'dynamodb-a', duration: 'PT30S' },
      startAfter: ['wait-17000ms'],
    });
  });
});

describe('a compiled schedule, run by the simulator', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  it('does each fault at its time on its target: the kill hits its slot, API faults arm, the toxic and the cut come and go', async () => {
    const id = await startTemplate(kit, scheduleToTemplate(schedule, { name: 'kill-worker' }));

    await kit.clock.advance(6_000);
    expect(kit.platform.journal.filter((l) => l.startsWith('fleet.'))).toEqual([]);
    await kit.clock.advance(1_000);
    expect(kit.platform.journal.filter((l) => l.startsWith('fleet.'))).toEqual(['fleet.terminate i-worker-1-3']);
    await kit.clock.advance(5_000);
    expect([...kit.platform.network.toxics.values()].map((t) => [t.proxy, t.type])).toEqual([
      ['s3-a', 'reset_peer'],
      ['s3-b', 'reset_peer'],
    ]);
    await kit.clock.advance(5_000);
    expect([...kit.platform.network.disabled]).toEqual(['dynamodb-a']);
    await kit.clock.advance(45_000);
    await kit.simulator.finished(id);
    expect((await getExperiment(kit, id)).state!.status).toBe('completed');
    expect(kit.platform.journal.filter((l) => l.startsWith('apiFaults.set')).length).toBe(3);
    expect(kit.platform.network.toxics.size + kit.platform.network.disabled.size + kit.platform.apiFaults.active().length).toBe(0);
  });
});
