import { compareSepia } from '@imagery/image-filter';
import { processedKeyOf, rawKeyOf, systemClock, transitionImage } from '@imagery/domain';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { call } from '@imagery/testing/api/api-client';
import { TestApi, TestWorker, startTestApi, startTestWorker } from '@imagery/testing/platform/test-platform';
import { eventually } from '@imagery/testing/eventually';
import { makeJpeg, makePixelBomb, sha256Of } from '@imagery/testing/platform/test-images';
import { deployFreshStack } from '@imagery/testing/platform/local-aws';
import { SdkCallLog, addressesKey } from '@imagery/testing/worker/sdk-faults';
import { StackProbe } from '@imagery/testing/worker/stack-probe';
import { createAndUpload } from '@imagery/testing/worker/worker-e2e';

/** The happy path and the consumer's idempotence, on a stack of its own: API → queue → worker → S3 + DynamoDB. */
describe('worker pipeline (real API, real worker, emulator)', () => {
  let probe: StackProbe;
  let api: TestApi;
  let worker: TestWorker;
  const log = new SdkCallLog();

  beforeAll(async () => {
    const stack = await deployFreshStack('worker-pipeline');
    probe = new StackProbe(stack);
    [api, worker] = await Promise.all([
      startTestApi(stack.env),
      startTestWorker(
        // no repair sweep: exact counts below must not depend on how slow this run is
        { ...stack.env, REPAIR_STUCK_AFTER_MS: '600000' },
        { wrapRequestHandler: log.wrapper() },
      ),
    ]);
  });
  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close()]);
    probe?.destroy();
  });

  const processed = (id: string) =>
    eventually(
      async () => {
        const item = await probe.item(id);
        return item?.state === 'processed' ? item : undefined;
      },
      20_000,
      `image ${id} processed`,
    );

  it('an upload through the API ends processed, with a sepia rendering of it in S3', async () => {
    const original = await makeJpeg(320, 240, { seed: 7 });
    const { id, upload } = await createAndUpload(api, original);
    expect(upload.status).toBe(200);

    const item = await processed(id);
    expect(item).toMatchObject({
      id,
      state: 'processed',
      rawS3Key: rawKeyOf(id, sha256Of(original)),
      processedS3Key: processedKeyOf(id),
      version: 2,
    });

    const rendered = await probe.object(processedKeyOf(id));
    expect(rendered).toBeDefined();
    const meta = await sharp(rendered).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
    const verdict = await compareSepia(original, rendered!);
    expect(verdict).toMatchObject({ ok: true, sameAspect: true });

    // what a browser gets: the API's presigned URL serves the same object
    const view = await call(`${api.url}/image/${id}`);
    expect(view.body).toMatchObject({ state: 'processed' });
    const viaUrl = await fetch(view.body.processedImage as string);
    expect(viaUrl.status).toBe(200);
    expect(Buffer.from(await viaUrl.arrayBuffer()).equals(rendered!)).toBe(true);
  });

  it('the sepia check can fail: the original, a greyscale, or the sepia of another picture are refused', async () => {
    const original = await makeJpeg(320, 240, { seed: 7 });
    const { id } = await createAndUpload(api, original);
    await processed(id);
    const rendered = (await probe.object(processedKeyOf(id)))!;

    const greyscale = await sharp(original).greyscale().jpeg().toBuffer();
    const mirroredSepia = await sharp(rendered).flop().jpeg().toBuffer();
    const squashed = await sharp(rendered).resize(320, 120, { fit: 'fill' }).jpeg().toBuffer();
    for (const [what, candidate] of Object.entries({ original, greyscale, mirroredSepia, squashed })) {
      const verdict = await compareSepia(original, candidate);
      expect({ what, ok: verdict.ok }).toEqual({ what, ok: false });
    }
    expect((await compareSepia(original, rendered)).ok).toBe(true);
  });

  it('duplicate messages are harmless: no new version, one processed object, the queue drains', async () => {
    const { id } = await createAndUpload(api, await makeJpeg(200, 150, { seed: 3 }));
    const before = await processed(id);
    await eventually(async () => (await probe.isEmpty()) || undefined, 10_000, 'the first message to be deleted');
    const deletesBefore = log.messagesDeleted();

    for (let i = 0; i < 3; i++) await probe.send(JSON.stringify({ imageId: id }));
    await eventually(
      async () => (log.messagesDeleted() >= deletesBefore + 3 && (await probe.isEmpty())) || undefined,
      15_000,
      'duplicates consumed',
    );

    const after = await probe.item(id);
    expect(after).toEqual(before); // same version, same updatedAt: nothing was written
    expect((await probe.keys('processed/')).filter((k) => k.includes(id))).toEqual([processedKeyOf(id)]);
    expect(log.count('PutObject', (c) => addressesKey(c, processedKeyOf(id)))).toBe(1);
    expect(await probe.isEmpty(probe.deadLetterQueueUrl)).toBe(true);
  });

  describe('an image the API would refuse, reaching the worker anyway', () => {
    const cases: [string, () => Promise<Buffer>, RegExp][] = [
      ['garbage bytes', () => Promise.resolve(Buffer.from('this is not an image at all, just some text '.repeat(20))), /^not_an_image: /],
      ['a truncated JPEG', async () => (await makeJpeg(400, 300, { seed: 5 })).subarray(0, 3000), /^undecodable: /],
      ['a decompression bomb', () => Promise.resolve(makePixelBomb()), /^too_many_pixels: /],
    ];

    it.each(cases)('%s: the item ends failed with a reason, the message is deleted (no DLQ)', async (_what, bytes, reason) => {
      const id = randomUUID();
      expect((await call(`${api.url}/image/${id}`, { method: 'PUT' })).status).toBe(201);
      const content = await bytes();
      const rawS3Key = rawKeyOf(id, sha256Of(content));
      await probe.putObject(rawS3Key, content);
      // what the API's upload would have written, had it accepted the file
      await transitionImage(probe.table, systemClock, id, { to: 'uploaded', rawS3Key });
      await probe.send(JSON.stringify({ imageId: id }));

      const item = await eventually(
        async () => {
          const current = await probe.item(id);
          return current?.state === 'failed' ? current : undefined;
        },
        20_000,
        `image ${id} failed`,
      );
      expect(item.failureReason).toMatch(reason);
      expect(item.processedS3Key).toBeUndefined();
      await eventually(async () => (await probe.isEmpty()) || undefined, 10_000, 'queue empty');
      expect(await probe.isEmpty(probe.deadLetterQueueUrl)).toBe(true);
      expect(await probe.object(processedKeyOf(id))).toBeUndefined();
      // and the API reports it
      expect((await call(`${api.url}/image/${id}`)).body).toMatchObject({ state: 'failed' });
    });
  });
});
