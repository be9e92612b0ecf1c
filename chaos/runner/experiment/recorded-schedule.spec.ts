import type { FaultSchedule } from '../../nemesis/schedule/fault-schedule';
import { recordedSchedule } from './recorded-schedule';

const fired: FaultSchedule = {
  startsAt: 5_000,
  endsAt: 20_000,
  faults: [{ type: 'kill', at: 6_000, slot: 'worker-1', action: 'terminate' }],
};

describe('recordedSchedule', () => {
  it('is the fired faults alone when every fault action had an effect', () => {
    expect(recordedSchedule(fired, [{ action: 'kill', actionId: 'aws:ec2:terminate-instances', kind: 'instance', fired: 1 }])).toEqual(
      fired,
    );
  });

  it('names the fault actions that fired nothing, so that a replay is judged INCONCLUSIVE as the run was', () => {
    const effects = [
      { action: 'kill', actionId: 'aws:ec2:terminate-instances', kind: 'instance' as const, fired: 1 },
      { action: 'throttle-sqs', actionId: 'aws:fis:inject-api-throttle-error', kind: 'api' as const, fired: 0 },
    ];
    expect(recordedSchedule(fired, effects)).toEqual({
      ...fired,
      idleActions: [{ action: 'throttle-sqs', actionId: 'aws:fis:inject-api-throttle-error' }],
    });
  });
});
