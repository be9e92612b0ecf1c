import { FaultInjector } from './fault-injector';
import { runWithRequestContext } from '../request-context';
import { FaultRuleInput, parseFaultRules } from './fault-rule';

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

describe('an exact rule (a recorded fault schedule) breaks exactly one call, once', () => {
  const exact = (match: FaultRuleInput['match'], instance = 'i-worker-2-3', now = () => 0) => {
    const i = new FaultInjector({ seed: 1, now, instance });
    i.setRules(
      parseFaultRules([{ id: 'x', service: 'dynamodb', operations: ['UpdateItem'], fault: { kind: 'ambiguous' }, match, percentage: 0 }]),
    );
    return i;
  };
  const inRequest = <T>(requestId: string, fn: () => T, imageId?: string) =>
    runWithRequestContext({ requestId, ...(imageId ? { imageId } : {}) }, fn);

  it("fires on the Nth call of the operation in the named request's context, and on no other call", () => {
    const i = exact({ requestId: 'run-7-2', occurrence: 2 });
    const decisions = inRequest('run-7-2', () => [
      i.decide('dynamodb', 'UpdateItem'),
      i.decide('dynamodb', 'GetItem'),
      i.decide('dynamodb', 'UpdateItem'),
      i.decide('dynamodb', 'UpdateItem'),
    ]);
    expect(decisions.map((d) => d?.occurrence)).toEqual([undefined, undefined, 2, undefined]);
    expect(inRequest('run-7-3', () => [i.decide('dynamodb', 'UpdateItem'), i.decide('dynamodb', 'UpdateItem')])).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('counts occurrences per context: a second context with the same request id (a redelivered message) fires it once only', () => {
    const i = exact({ requestId: 'r', occurrence: 1 });
    expect(inRequest('r', () => i.decide('dynamodb', 'UpdateItem'))?.rule.id).toBe('x');
    expect(inRequest('r', () => i.decide('dynamodb', 'UpdateItem'))).toBeUndefined();
  });

  it('an image id in the match must be the context image too', () => {
    const i = exact({ requestId: 'r', imageId: 'img-1', occurrence: 1 });
    expect(inRequest('r', () => i.decide('dynamodb', 'UpdateItem'), 'img-2')).toBeUndefined();
    expect(inRequest('r', () => i.decide('dynamodb', 'UpdateItem'), 'img-1')?.occurrence).toBe(1);
  });

  it('a slot-keyed rule fires on the Nth call made with no request context on that slot only', () => {
    const mine = exact({ slot: 'worker-2', occurrence: 2 });
    expect([mine.decide('dynamodb', 'UpdateItem'), mine.decide('dynamodb', 'UpdateItem')].map((d) => d?.rule.id)).toEqual([undefined, 'x']);
    expect(inRequest('r', () => exact({ slot: 'worker-2', occurrence: 1 }).decide('dynamodb', 'UpdateItem'))).toBeUndefined();
    expect(exact({ slot: 'worker-2', occurrence: 1 }, 'i-worker-1-1').decide('dynamodb', 'UpdateItem')).toBeUndefined();
  });

  it("with notBefore, a slot-keyed rule counts the slot's calls from that time only: the first call at its recorded time", () => {
    let now = 1_000;
    const timed = exact({ slot: 'worker-2', occurrence: 1, notBefore: 5_000 }, 'i-worker-2-3', () => now);
    expect(timed.decide('dynamodb', 'UpdateItem')).toBeUndefined();
    now = 4_999;
    expect(timed.decide('dynamodb', 'UpdateItem')).toBeUndefined();
    now = 5_000;
    expect(timed.decide('dynamodb', 'UpdateItem')?.rule.id).toBe('x');
    expect(timed.decide('dynamodb', 'UpdateItem')).toBeUndefined(); // once
  });
});
