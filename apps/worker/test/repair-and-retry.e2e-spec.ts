import { processedKeyOf, rawKeyOf } from '@imagery/domain';
import { compareSepia } from '@imagery/image-filter';
import { PlatformOptions } from '@imagery/nest-platform';
import { Logger } from '@nestjs/common';
import { TestApi, startTestApi, startTestWorker } from '@imagery/testing/platform/test-platform';
import { eventually } from '@imagery/testing/eventually';
import { makeJpeg, sha256Of } from '@imagery/testing/platform/test-images';
import { TestStack, deployFreshStack } from '@imagery/testing/platform/local-aws';
import { RepairSweeper } from '../src/repair/repair-sweeper';
import { SdkCallLog, addressesKey, failCall } from '@imagery/testing/worker/sdk-faults';
import { StackProbe } from '@imagery/testing/worker/stack-probe';
import { Resources, barrier, createAndUpload, sleep } from '@imagery/testing/worker/worker-e2e';

/** Lost and failed AWS calls, injected below the SDK: the work is still done, exactly once. */
describe('worker repair sweep and retries (faults injected into the SDK)', () => {
  const resources = new Resources();
  let stack: TestStack;
  let probe: StackProbe;
  let jpeg: Buffer;

  beforeAll(async () => {
    jpeg = await makeJpeg(240, 180, { seed: 11 });
  });
  beforeEach(async () => {
    stack = await deployFreshStack('worker-faults');
    probe = resources.addDestroyable(new StackProbe(stack));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await resources.closeAll();
  });

  /** An API whose every SQS SendMessage fails, as if the network dropped it. */
  const apiLosingSends = (log = new SdkCallLog()): Promise<TestApi> =>
    startTestApi(stack.env, {
      wrapRequestHandler: log.wrapper((call, forward) =>
        call.service === 'sqs' && call.operation === 'SendMessage' ? failCall(call) : forward(),
      ),
    }).then((api) => resources.add(api));

  const worker = (env: Record<string, string>, options: PlatformOptions = {}) =>
    startTestWorker({ ...stack.env, ...env }, options).then((w) => resources.add(w));

  const processed = (id: string, timeoutMs = 20_000) =>
    eventually(
      async () => {
        const item = await probe.item(id);
        return item?.state === 'processed' ? item : undefined;
      },
      timeoutMs,
      `image ${id} processed`,
    );

  const drained = () =>
    eventually(
      async () => ((await probe.isEmpty()) && (await probe.isEmpty(probe.deadLetterQueueUrl))) || undefined,
      10_000,
      'queues drained',
    );

  it('a lost SendMessage: the upload is still acknowledged, and the repair sweep gets the image processed', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const apiLog = new SdkCallLog();
    const api = await apiLosingSends(apiLog);

    const { id, upload } = await createAndUpload(api, jpeg);
    expect(upload.status).toBe(200);
    expect(upload.body).toMatchObject({ id, state: 'uploaded', version: 1, rawS3Key: rawKeyOf(id, sha256Of(jpeg)) });
    expect(apiLog.count('SendMessage')).toBe(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`image ${id} stored but not enqueued`));
    expect(await probe.isEmpty()).toBe(true); // no message: only the sweep can save it
    expect(await probe.item(id)).toMatchObject({ state: 'uploaded' }); // acknowledged means durable

    const workerLog = new SdkCallLog();
    // the sweep's threshold is at least two visibility timeouts: 2 s visibility keeps it at 4 s
    await worker(
      { VISIBILITY_TIMEOUT_SECONDS: '2', REPAIR_STUCK_AFTER_MS: '1500', REPAIR_INTERVAL_MS: '200' },
      { wrapRequestHandler: workerLog.wrapper() },
    );
    const item = await processed(id, 30_000);
    // uploaded (1) → claimed by the sweep (2) → processed (3)
    expect(item.version).toBe(3);
    expect(workerLog.count('SendMessage')).toBe(1);
    expect((await compareSepia(jpeg, (await probe.object(processedKeyOf(id)))!)).ok).toBe(true);
    await drained();
  });

  it('a transient S3 error is retried through the queue: the image ends processed, the message is not lost', async () => {
    const FAILURES = 2;
    let rawReads = 0;
    const log = new SdkCallLog();
    const api = resources.add(await startTestApi(stack.env));
    await worker(
      // the poller's backoff is capped by the visibility timeout: 2 s keeps each retry short
      { VISIBILITY_TIMEOUT_SECONDS: '2', REPAIR_STUCK_AFTER_MS: '600000' },
      {
        wrapRequestHandler: log.wrapper((call, forward) =>
          call.operation === 'GetObject' && call.request.path.includes('/upload/') && ++rawReads <= FAILURES ? failCall(call) : forward(),
        ),
      },
    );

    const { id, upload } = await createAndUpload(api, jpeg);
    expect(upload.status).toBe(200);
    await processed(id);

    expect(log.count('GetObject', (c) => addressesKey(c, rawKeyOf(id, sha256Of(jpeg))))).toBe(FAILURES + 1);
    expect(log.count('PutObject', (c) => addressesKey(c, processedKeyOf(id)))).toBe(1);
    expect(log.count('SendMessage')).toBe(0); // redelivered by SQS, not re-sent by the sweep
    expect((await compareSepia(jpeg, (await probe.object(processedKeyOf(id)))!)).ok).toBe(true);
    // The worker deletes the message just after recording `processed`: counted once the queue is
    // drained, not the moment the item reads processed (that raced: 0 deletes seen, once in CI).
    await drained();
    expect(log.messagesDeleted()).toBe(1); // deleted once, after the job succeeded
  });

  it('two workers sweeping the same stuck image at once re-enqueue it once, and it is processed once', async () => {
    const api = await apiLosingSends();
    const { id, upload } = await createAndUpload(api, jpeg);
    expect(upload.body).toMatchObject({ state: 'uploaded', version: 1 });

    // Both sweeps read the stuck image before either claims it: the conditional claim must decide.
    const bothRead = barrier(2);
    const logs = [new SdkCallLog(), new SdkCallLog()];
    // sweeps run only when called here; the threshold is two visibility timeouts (4 s)
    const env = { VISIBILITY_TIMEOUT_SECONDS: '2', REPAIR_STUCK_AFTER_MS: '300', REPAIR_INTERVAL_MS: '600000' };
    const workers = await Promise.all(
      logs.map((log) =>
        worker(env, {
          wrapRequestHandler: log.wrapper(async (call, forward) => {
            if (call.operation !== 'Query') return forward();
            const out = await forward();
            await bothRead.arrive();
            return out;
          }),
        }),
      ),
    );
    await sleep(4_200); // now stuck for longer than the threshold

    await Promise.all(workers.map((w) => w.app.get(RepairSweeper).sweepOnce()));
    expect(bothRead.arrived).toBe(2);

    const item = await processed(id);
    await drained();
    const total = (op: string, where?: Parameters<SdkCallLog['count']>[1]) => logs.reduce((n, log) => n + log.count(op, where), 0);
    expect(total('SendMessage')).toBe(1); // re-enqueued once
    expect(total('UpdateItem')).toBe(3); // two claims tried (one lost the race), one processed transition
    expect(total('PutObject', (c) => addressesKey(c, processedKeyOf(id)))).toBe(1); // processed once
    expect(item.version).toBe(3);
    expect(await probe.keys('processed/')).toEqual([processedKeyOf(id)]);
  });
});
