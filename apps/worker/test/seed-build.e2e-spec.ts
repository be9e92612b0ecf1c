import { randomUUID } from 'node:crypto';
import { TestApi, TestWorker, startTestApi, startTestWorker } from '@imagery/testing/platform/test-platform';
import { eventually } from '@imagery/testing/eventually';
import { makeJpeg } from '@imagery/testing/platform/test-images';
import { deployFreshStack } from '@imagery/testing/platform/local-aws';
import { StackProbe } from '@imagery/testing/worker/stack-probe';
import { createAndUpload, sleep } from '@imagery/testing/worker/worker-e2e';

/**
 * CHAOS_BUILD=seed really runs the seed's code path (libs/adversaries, loaded in chaos mode): the
 * same duplicate message that the real build shrugs off renders again under a new Date.now() key
 * and leaves a second processed object behind.
 */
describe.each([
  ['real build', 'real', 1],
  ['seed build', 'seed', 2],
])('%s: a duplicate message after processing', (_name, build, expectedObjects) => {
  let probe: StackProbe;
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    const stack = await deployFreshStack(`build-${build}`);
    probe = new StackProbe(stack);
    const env = { ...stack.env, CHAOS_MODE: 'true', CHAOS_BUILD: build };
    [api, worker] = await Promise.all([startTestApi(env), startTestWorker({ ...env, REPAIR_STUCK_AFTER_MS: '600000' })]);
  });
  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close()]);
    probe?.destroy();
  });

  it(`leaves ${expectedObjects} object(s) under processed/`, async () => {
    const { id, upload } = await createAndUpload(api, await makeJpeg(160, 120), randomUUID());
    expect(upload.status).toBe(200);
    await eventually(async () => ((await probe.item(id))?.state === 'processed' ? true : undefined), 20_000, 'processed');
    await sleep(50); // distinct Date.now() keys for the seed
    await probe.send(JSON.stringify({ imageId: id }));
    await eventually(
      async () => {
        const depth = await probe.depth();
        return depth.visible + depth.inFlight === 0 ? true : undefined;
      },
      20_000,
      'queue drained',
    );
    expect((await probe.keys(`processed/${id}`)).length).toBe(expectedObjects);
  });
});
