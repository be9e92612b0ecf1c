import { randomUUID } from 'node:crypto';
import { TestWorker, startTestWorker } from '@imagery/testing/platform/test-platform';
import { eventually } from '@imagery/testing/eventually';
import { deployFreshStack } from '@imagery/testing/platform/local-aws';
import { SdkCallLog } from '@imagery/testing/worker/sdk-faults';
import { StackProbe } from '@imagery/testing/worker/stack-probe';

const MAX_RECEIVE_COUNT = 2;

/** Messages no consumer can handle go to the dead-letter queue after maxReceiveCount receives; nothing else does. */
describe('poison messages', () => {
  let probe: StackProbe;
  let worker: TestWorker | undefined;

  beforeAll(async () => {
    probe = new StackProbe(await deployFreshStack('worker-poison', { MaxReceiveCount: MAX_RECEIVE_COUNT, QueueVisibilityTimeout: 2 }));
  });
  afterAll(async () => {
    await worker?.close();
    probe?.destroy();
  });

  it(`land in the dead-letter queue after ${MAX_RECEIVE_COUNT} receives, never deleted; a well-formed message is not poison`, async () => {
    const poison = ['this is not JSON {', '{"hello":"world"}', '{"imageId":"not-a-uuid"}', '{"imageId":42}', 'null'];
    const wellFormedUnknown = JSON.stringify({ imageId: randomUUID() }); // no such image: handled, deleted
    for (const body of [...poison, wellFormedUnknown]) await probe.send(body);

    const log = new SdkCallLog();
    worker = await startTestWorker({ ...probe.stack.env, VISIBILITY_TIMEOUT_SECONDS: '2' }, { wrapRequestHandler: log.wrapper() });

    await eventually(
      async () => {
        const [main, dlq] = await Promise.all([probe.depth(), probe.depth(probe.deadLetterQueueUrl)]);
        return main.visible + main.inFlight === 0 && dlq.visible === poison.length ? true : undefined;
      },
      20_000,
      'poison messages dead-lettered',
    );

    const dead = await probe.deadLetters();
    expect(dead.map((m) => m.body).sort()).toEqual([...poison].sort());
    for (const m of dead) expect(m.receiveCount).toBeGreaterThanOrEqual(MAX_RECEIVE_COUNT);
    // each poison message was handed back (visibility 0) on each of its receives, never deleted
    expect(log.count('ChangeMessageVisibility')).toBe(poison.length * MAX_RECEIVE_COUNT);
    expect(log.messagesDeleted()).toBe(1); // the well-formed one only
  });
});
