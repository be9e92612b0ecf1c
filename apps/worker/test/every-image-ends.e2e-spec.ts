import { rawKeyOf } from '@imagery/domain';
import { TestWorker, startTestApi, startTestWorker } from '@imagery/testing/platform/test-platform';
import { eventually } from '@imagery/testing/eventually';
import { makeJpeg } from '@imagery/testing/platform/test-images';
import { deployFreshStack } from '@imagery/testing/platform/local-aws';
import { SdkCall, SdkCallLog, failCall } from '@imagery/testing/worker/sdk-faults';
import { StackProbe } from '@imagery/testing/worker/stack-probe';
import { Resources, createAndUpload, sleep } from '@imagery/testing/worker/worker-e2e';
import { randomUUID } from 'node:crypto';

const MAX_RECEIVE_COUNT = 2;
const MAX_ATTEMPTS = 3;
const VISIBILITY = 2;

/**
 * The livelocks of issue 10: an image that can never be processed used to dead-letter, be
 * re-enqueued by the repair sweep, dead-letter again, forever. Now each ends `failed` with a
 * reason, and the dead-letter queue stops growing.
 */
describe('every image ends (no livelock between the dead-letter queue and the repair sweep)', () => {
  const resources = new Resources();
  let probe: StackProbe;

  beforeEach(async () => {
    probe = resources.addDestroyable(
      new StackProbe(
        await deployFreshStack('every-image-ends', { MaxReceiveCount: MAX_RECEIVE_COUNT, QueueVisibilityTimeout: VISIBILITY }),
      ),
    );
  });
  afterEach(() => resources.closeAll());

  const worker = (wrap = new SdkCallLog().wrapper(), env: Record<string, string> = {}): Promise<TestWorker> =>
    startTestWorker(
      {
        ...probe.stack.env,
        VISIBILITY_TIMEOUT_SECONDS: String(VISIBILITY),
        MAX_PROCESSING_ATTEMPTS: String(MAX_ATTEMPTS),
        REPAIR_INTERVAL_MS: '250',
        REPAIR_STUCK_AFTER_MS: '100', // raised by the worker to two visibility timeouts (4 s)
        ...env,
      },
      { wrapRequestHandler: wrap },
    ).then((w) => resources.add(w));

  const ended = (id: string, timeoutMs = 30_000) =>
    eventually(
      async () => {
        const item = await probe.item(id);
        return item?.state === 'failed' || item?.state === 'processed' ? item : undefined;
      },
      timeoutMs,
      `image ${id} ended`,
    );

  /** An item as a bug or an expired object would leave it, written straight to the table. */
  async function seedUploaded(rawS3Key: string | undefined): Promise<string> {
    const id = randomUUID();
    const now = Date.now();
    await probe.table.create({ id, version: 1, state: 'uploaded', ...(rawS3Key ? { rawS3Key } : {}), createdAt: now, updatedAt: now });
    await probe.send(JSON.stringify({ imageId: id }));
    return id;
  }

  it('a raw object that is gone (expired, deleted): failed at once, nothing dead-lettered', async () => {
    const id = await seedUploaded(rawKeyOf(randomUUID(), 'a'.repeat(64)));
    await worker();
    const item = await ended(id);
    expect(item).toMatchObject({ state: 'failed', failureReason: expect.stringMatching(/^no_raw_object: .* does not exist/) as unknown });
    await eventually(async () => ((await probe.isEmpty()) ? true : undefined), 10_000, 'main queue drained');
    expect(await probe.isEmpty(probe.deadLetterQueueUrl)).toBe(true);
  });

  it('an item uploaded without a raw key: failed at once, nothing dead-lettered', async () => {
    const id = await seedUploaded(undefined);
    await worker();
    expect(await ended(id)).toMatchObject({ state: 'failed', failureReason: expect.stringMatching(/^no_raw_object: /) as unknown });
    await eventually(async () => ((await probe.isEmpty()) ? true : undefined), 10_000, 'main queue drained');
    expect(await probe.isEmpty(probe.deadLetterQueueUrl)).toBe(true);
  });

  const deniedTitle =
    `a write that is always denied: after ${MAX_ATTEMPTS} attempts the image ends failed, ` + 'and the dead-letter queue stops growing';
  it(deniedTitle, async () => {
    const api = resources.add(await startTestApi(probe.stack.env));
    const log = new SdkCallLog();
    const denied = (call: SdkCall) => call.operation === 'PutObject' && call.request.path.includes('/processed/');
    await worker(log.wrapper((call, forward) => (denied(call) ? failCall(call) : forward())));

    const { id, upload } = await createAndUpload(api, await makeJpeg(160, 120));
    expect(upload.status).toBe(200);
    const item = await ended(id, 45_000);
    expect(item).toMatchObject({
      state: 'failed',
      attempts: MAX_ATTEMPTS,
      failureReason: expect.stringMatching(/^attempts_exhausted: 3 attempts/) as unknown,
    });
    expect(log.count('PutObject', denied)).toBeGreaterThanOrEqual(1);
    expect(log.count('PutObject', denied)).toBeLessThanOrEqual(MAX_ATTEMPTS);

    // Nothing goes round any more: longer than the sweep's threshold, no send, no new dead letter.
    const sends = log.count('SendMessage');
    const dead = await probe.depth(probe.deadLetterQueueUrl);
    await sleep(2 * VISIBILITY * 1000 + 2_000);
    expect(log.count('SendMessage')).toBe(sends);
    const later = await probe.depth(probe.deadLetterQueueUrl);
    expect(later.visible + later.inFlight).toBe(dead.visible + dead.inFlight);
    expect(later.visible + later.inFlight).toBeLessThanOrEqual(Math.ceil(MAX_ATTEMPTS / MAX_RECEIVE_COUNT));
    expect(await probe.item(id)).toMatchObject({ state: 'failed' });
  });

  it('the repair sweep waits two visibility timeouts before re-sending, whatever REPAIR_STUCK_AFTER_MS says', async () => {
    const api = resources.add(
      await startTestApi(probe.stack.env, {
        wrapRequestHandler: new SdkCallLog().wrapper((call, forward) => (call.operation === 'SendMessage' ? failCall(call) : forward())),
      }),
    );
    const { id, upload } = await createAndUpload(api, await makeJpeg(160, 120));
    expect(upload.status).toBe(200);
    const uploadedAt = Date.now();
    let resentAt = 0;
    const log = new SdkCallLog();
    await worker(log.wrapper((call, forward) => ((resentAt ||= call.operation === 'SendMessage' ? Date.now() : 0), forward())));
    const item = await ended(id);
    expect(item.state).toBe('processed');
    expect(log.count('SendMessage')).toBe(1);
    expect(resentAt - uploadedAt).toBeGreaterThanOrEqual(2 * VISIBILITY * 1000 - 100);
  });
});
