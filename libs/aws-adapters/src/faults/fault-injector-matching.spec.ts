import { FaultInjector } from './fault-injector';
import { parseFaultRules } from './fault-rule';

describe('which calls a fault rule matches', () => {
  const injector = (operations: string[]) => {
    const i = new FaultInjector({ seed: 1, now: () => 0 });
    i.setRules(parseFaultRules([{ id: 'r', service: 'sqs', operations, fault: { kind: 'internal-error' } }]));
    return i;
  };

  it("a rule naming DeleteMessage also fails the worker's DeleteMessageBatch calls (it keeps its meaning)", () => {
    expect(injector(['DeleteMessage']).choose('sqs', 'DeleteMessageBatch')?.id).toBe('r');
    expect(injector(['DeleteMessage']).choose('sqs', 'DeleteMessage')?.id).toBe('r');
  });

  it('a rule naming the batch form matches it alone, and no rule matches another operation', () => {
    expect(injector(['DeleteMessageBatch']).choose('sqs', 'DeleteMessage')).toBeUndefined();
    expect(injector(['DeleteMessage']).choose('sqs', 'ReceiveMessage')).toBeUndefined();
    expect(injector(['SendMessage']).choose('sqs', 'SendMessageBatchX')).toBeUndefined();
  });
});
