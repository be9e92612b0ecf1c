import { processedKeyOf } from '@imagery/domain';
import { compareSepia } from '@imagery/image-filter';
import { randomUUID } from 'node:crypto';
import { call } from '@imagery/testing/api/api-client';
import { TestApi, startTestApi, startTestWorker } from '@imagery/testing/platform/test-platform';
import { eventually } from '@imagery/testing/eventually';
import { makeJpeg } from '@imagery/testing/platform/test-images';
import { TestStack, deployFreshStack } from '@imagery/testing/platform/local-aws';
import { freePort } from '@imagery/kernel/free-port';
import { SdkCallLog, interceptSdk } from '@imagery/testing/worker/sdk-faults';
import { StackProbe } from '@imagery/testing/worker/stack-probe';
import { Resources, createAndUpload, signal, sleep, within } from '@imagery/testing/worker/worker-e2e';

/**
 * The repair sweep re-enqueues (by design) an image `uploaded` for longer than its threshold; these
 * tests count versions and calls exactly, so a slow run must not let it step in.
 */
const NO_SWEEP = { REPAIR_STUCK_AFTER_MS: '600000' };

/** How the worker starts, serves and stops: graceful shutdown, and the Elastic Beanstalk push contract. */
describe('worker lifecycle', () => {
  const resources = new Resources();
  let stack: TestStack;
  let probe: StackProbe;
  let api: TestApi;
  let jpeg: Buffer;

  beforeAll(async () => {
    jpeg = await makeJpeg(240, 180, { seed: 21 });
  });
  beforeEach(async () => {
    stack = await deployFreshStack('worker-lifecycle');
    probe = resources.addDestroyable(new StackProbe(stack));
    api = resources.add(await startTestApi(stack.env));
  });
  afterEach(() => resources.closeAll());

  it('graceful shutdown: a job in flight when close() is called finishes before close resolves', async () => {
    const PUT_DELAY_MS = 1_500;
    const putStarted = signal();
    const worker = resources.add(
      await startTestWorker(
        { ...stack.env, ...NO_SWEEP },
        {
          wrapRequestHandler: interceptSdk(async (c, forward) => {
            if (c.operation === 'PutObject' && c.request.path.includes('/processed/')) {
              putStarted.resolve();
              await sleep(PUT_DELAY_MS);
            }
            return forward();
          }),
        },
      ),
    );
    const { id } = await createAndUpload(api, jpeg);
    await within(putStarted.promise, 15_000, 'the processed PutObject to start');

    const started = Date.now();
    await worker.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(PUT_DELAY_MS - 200);

    // no waiting: all of it is done by the time close() resolved
    expect(await probe.item(id)).toMatchObject({ state: 'processed', version: 2 });
    expect((await compareSepia(jpeg, (await probe.object(processedKeyOf(id)))!)).ok).toBe(true);
    expect(await probe.isEmpty()).toBe(true); // the message was deleted, not left to be redelivered
  });

  it('a job longer than the visibility timeout stays hidden (heartbeat): a second worker never gets it', async () => {
    // the queue hides a received message for 4 s; the job takes longer than that. With 2 s the
    // renewal (at half the timeout) had 1 s to land, and in a busy run (three jest workers, the lint)
    // the second worker once got the message too.
    const shortStack = await deployFreshStack('worker-heartbeat', { QueueVisibilityTimeout: 4 });
    const shortProbe = resources.addDestroyable(new StackProbe(shortStack));
    const shortApi = resources.add(await startTestApi(shortStack.env));
    const log = new SdkCallLog();
    const slowPut = log.wrapper(async (c, forward) => {
      if (c.operation === 'PutObject' && c.request.path.includes('/processed/')) await sleep(6_000);
      return forward();
    });
    // no repair sweep: it would (by design) re-enqueue an image `uploaded` for longer than its threshold
    const env = { ...shortStack.env, ...NO_SWEEP, VISIBILITY_TIMEOUT_SECONDS: '4' };
    for (let i = 0; i < 2; i++) resources.add(await startTestWorker(env, { wrapRequestHandler: slowPut }));

    const { id } = await createAndUpload(shortApi, jpeg);
    await eventually(async () => ((await shortProbe.item(id))?.state === 'processed' ? true : undefined), 15_000, 'processed');
    await eventually(async () => (await shortProbe.isEmpty()) || undefined, 5_000, 'queue empty');
    expect(log.count('GetObject', (c) => c.request.path.includes('/upload/'))).toBe(1); // received and processed once
    expect(log.count('SendMessage')).toBe(0);
    expect(log.count('ChangeMessageVisibility')).toBeGreaterThanOrEqual(2); // renewed while it ran
    expect(await shortProbe.item(id)).toMatchObject({ state: 'processed', version: 2 });
  });

  describe('push mode (WORKER_POLL=false, WORKER_HTTP_PORT)', () => {
    let url: string;

    beforeEach(async () => {
      const port = await freePort();
      resources.add(await startTestWorker({ ...stack.env, ...NO_SWEEP, WORKER_HTTP_PORT: String(port), WORKER_POLL: 'false' }));
      url = `http://127.0.0.1:${port}`;
    });

    const push = (body: string, contentType = 'application/json') =>
      call(`${url}/sqs`, { method: 'POST', body, headers: { 'content-type': contentType, 'user-agent': 'aws-sqsd/3.0.4' } });

    it('GET /health: 200 JSON with dynamodb, s3 and sqs up', async () => {
      const res = await call(`${url}/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/json/);
      expect(res.body).toMatchObject({
        status: 'ok',
        details: { dynamodb: { status: 'up' }, s3: { status: 'up' }, sqs: { status: 'up' } },
      });
    });

    it('POST /sqs with a message body: 200 and the image processed; a repeat is a harmless 200', async () => {
      const { id } = await createAndUpload(api, jpeg);
      await sleep(1_200); // longer than a receive wait: a poller, if one ran, would have taken the message
      expect(await probe.item(id)).toMatchObject({ state: 'uploaded' });
      expect((await probe.depth()).visible).toBe(1); // nobody polls; the daemon would deliver it

      const res = await push(JSON.stringify({ imageId: id }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ outcome: 'processed' });
      expect(await probe.item(id)).toMatchObject({ state: 'processed', version: 2 });
      expect((await compareSepia(jpeg, (await probe.object(processedKeyOf(id)))!)).ok).toBe(true);

      const again = await push(JSON.stringify({ imageId: id }));
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ outcome: 'already-done' });
      expect((await push(JSON.stringify({ imageId: randomUUID() }))).body).toEqual({ outcome: 'unknown-image' });
    });

    it('POST /sqs with a garbage body: 400, so the daemon retries and then dead-letters it', async () => {
      for (const body of ['this is not json', '{"hello":"world"}', '{"imageId":"not-a-uuid"}', '']) {
        const res = await push(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      expect((await push('{"imageId":"not-a-uuid"}')).body).toMatchObject({ statusCode: 400, error: 'poison_message' });
    });

    // KNOWN BUG (reported, not fixed here): the worker-tier daemon's MIME type is configurable
    // (default application/json), but POST /sqs reads the body only when Express's JSON parser
    // captured it (rawBody). Any other content type reaches the controller as an empty body, so a
    // valid message gets 400 poison_message and ends in the dead-letter queue.
    // When this starts passing, drop `.failing`.
    it('POST /sqs with a valid message sent as text/plain is processed (not 400)', async () => {
      const { id } = await createAndUpload(api, jpeg);
      const res = await push(JSON.stringify({ imageId: id }), 'text/plain');
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { outcome: 'processed' } });
    });
  });
});
