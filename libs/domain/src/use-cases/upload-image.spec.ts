import { AlreadyUploadedError, ImageNotFoundError, InvalidImageError, InvalidImageIdError, TransitionNotAllowedError } from '../errors';
import { processedKeyOf, rawKeyOf } from '../object-keys';
import {
  FIXTURE_SHA256,
  IMAGE_IDS,
  InjectedFaultError,
  SimWorld,
  anImage,
  drain,
  pollOnce,
  sepiaOf,
  stagedUpload,
} from '@imagery/testing/domain';

const ID = IMAGE_IDS[0];
const PNG = stagedUpload('IMG-some-png-bytes');

function createdWorld(): SimWorld {
  const world = new SimWorld();
  world.table.seed(anImage('created'));
  return world;
}

describe('UploadImage', () => {
  it('stores the bytes at rawKeyOf(id), records uploaded, then enqueues', async () => {
    const world = createdWorld();
    world.clock.advance(1_000);
    const result = await world.uploadImage.execute(ID, PNG);

    const uploaded = anImage('uploaded', { updatedAt: world.clock.now(), rawS3Key: rawKeyOf(ID, PNG.sha256) });
    expect(result).toEqual({ image: uploaded, enqueued: true });
    expect(world.table.items()).toEqual([uploaded]);
    expect(world.store.keys()).toEqual([rawKeyOf(ID, PNG.sha256)]);
    expect(world.store.object(rawKeyOf(ID, PNG.sha256))).toEqual({ bytes: PNG.bytes, contentType: 'image/png' });
    expect(world.queue.sent).toEqual([JSON.stringify({ imageId: ID, item: uploaded })]);
  });

  it('reads the item once: the conditional write checks the version that read saw', async () => {
    const world = createdWorld();
    const reads = jest.spyOn(world.table, 'get');
    await world.uploadImage.execute(ID, PNG);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('decides again on a fresh read when another writer changed the item after its read', async () => {
    const world = createdWorld();
    const table = world.table;
    const get = table.get.bind(table);
    // Another upload of the same bytes lands between our read and our write.
    jest.spyOn(table, 'get').mockImplementationOnce(async (id) => {
      const read = await get(id);
      table.seed(anImage('uploaded', { rawS3Key: rawKeyOf(ID, PNG.sha256) }));
      return read;
    });
    const { image } = await world.uploadImage.execute(ID, PNG);
    expect(image).toEqual(anImage('uploaded', { rawS3Key: rawKeyOf(ID, PNG.sha256) })); // the stored one, not written twice
    expect(world.table.items()).toEqual([image]);
  });

  it('rejects with ImageNotFoundError for an image never created, touching nothing', async () => {
    const world = new SimWorld();
    await expect(world.uploadImage.execute(ID, PNG)).rejects.toBeInstanceOf(ImageNotFoundError);
    expect(world.filter.inspectCalls).toBe(0);
    expect(world.store.keys()).toEqual([]);
    expect(world.queue.sent).toEqual([]);
  });

  it.each(['processed', 'failed'] as const)('is a 409 once the image is %s, and keeps the raw object', async (state) => {
    const world = new SimWorld();
    world.table.seed(anImage(state));
    await world.store.put(rawKeyOf(ID, FIXTURE_SHA256), stagedUpload('IMG-original').open(), 'image/png');

    await expect(world.uploadImage.execute(ID, PNG)).rejects.toEqual(new TransitionNotAllowedError(ID, state, 'uploaded'));
    expect(world.store.bytesOf(rawKeyOf(ID, FIXTURE_SHA256))?.toString()).toBe('IMG-original');
    expect(world.table.items()).toEqual([anImage(state)]);
    expect(world.queue.sent).toEqual([]);
  });

  it.each([
    ['not_an_image', 'NOTIMG: a text file'],
    ['empty', ''],
  ])('refuses an invalid image (%s): the state stays created and nothing is stored', async (reason, bytes) => {
    const world = createdWorld();
    await expect(world.uploadImage.execute(ID, stagedUpload(bytes))).rejects.toMatchObject({
      constructor: InvalidImageError,
      reason,
    });
    expect(world.table.items()).toEqual([anImage('created')]);
    expect(world.store.keys()).toEqual([]);
    expect(world.queue.sent).toEqual([]);
  });

  it('when SendMessage fails the upload is still acknowledged and durable, with enqueued false', async () => {
    const world = createdWorld();
    world.faults.failNext('queue.send');
    const result = await world.uploadImage.execute(ID, PNG);

    expect(result).toMatchObject({ enqueued: false, image: { state: 'uploaded', version: 1 } });
    expect(result.enqueueError).toBeInstanceOf(InjectedFaultError);
    expect(await world.getImage.execute(ID)).toMatchObject({ state: 'uploaded', version: 1 });
    expect(world.queue.messages()).toEqual([]);
  });

  it('a retry of an acknowledged upload sends again without a second write', async () => {
    const world = createdWorld();
    world.faults.failNext('queue.send');
    const first = await world.uploadImage.execute(ID, PNG);
    const retry = await world.uploadImage.execute(ID, PNG);

    expect(retry).toEqual({ image: first.image, enqueued: true });
    expect(world.queue.sent).toHaveLength(1);
  });

  it('a failed put leaves the image created and sends nothing', async () => {
    const world = createdWorld();
    world.faults.failNext('store.put');
    await expect(world.uploadImage.execute(ID, PNG)).rejects.toBeInstanceOf(InjectedFaultError);
    expect(world.table.items()).toEqual([anImage('created')]);
    expect(world.queue.sent).toEqual([]);
  });

  it('after an ambiguous transition (written, response lost) the retry completes it once', async () => {
    const world = createdWorld();
    world.faults.failNext('table.update', 'ambiguous');
    await expect(world.uploadImage.execute(ID, PNG)).rejects.toBeInstanceOf(InjectedFaultError);
    expect(world.queue.sent).toEqual([]);

    const retry = await world.uploadImage.execute(ID, PNG);
    expect(retry).toEqual({ image: anImage('uploaded', { rawS3Key: rawKeyOf(ID, PNG.sha256) }), enqueued: true });
    expect(world.queue.sent).toHaveLength(1);
  });

  it('accepts the id in upper case and stores under the lower-case key', async () => {
    const world = createdWorld();
    await world.uploadImage.execute(ID.toUpperCase(), PNG);
    expect(world.store.keys()).toEqual([rawKeyOf(ID, PNG.sha256)]);
  });

  it('refuses an invalid id before anything else', async () => {
    const world = createdWorld();
    await expect(world.uploadImage.execute('nope', PNG)).rejects.toBeInstanceOf(InvalidImageIdError);
    expect(world.filter.inspectCalls).toBe(0);
  });

  // Once an upload is accepted, a second one with other bytes is refused (409) rather than
  // silently replacing what a worker may be rendering: the accepted image is the one rendered.
  it('a re-upload with different bytes while a worker renders is refused, and the accepted image is rendered', async () => {
    const world = createdWorld();
    const first = stagedUpload('IMG-first');
    await world.uploadImage.execute(ID, first);
    let refused: unknown;
    world.faults.gate = async (operation) => {
      if (operation !== 'store.put' || refused) return; // the worker is about to store its rendering
      refused = await world.uploadImage.execute(ID, stagedUpload('IMG-second')).catch((e: unknown) => e);
    };
    await pollOnce(world, 10);
    world.faults.gate = undefined;
    await drain(world);

    expect(refused).toBeInstanceOf(AlreadyUploadedError);
    expect(world.store.keys('upload/')).toEqual([rawKeyOf(ID, first.sha256)]);
    expect(world.store.bytesOf(processedKeyOf(ID))?.toString()).toBe(sepiaOf('IMG-first').toString());
  });

  it('a retry with the same bytes is accepted again without a new write', async () => {
    const world = createdWorld();
    const { image } = await world.uploadImage.execute(ID, PNG);
    const again = await world.uploadImage.execute(ID, stagedUpload('IMG-some-png-bytes'));
    expect(again.image).toEqual(image);
    expect(world.store.keys()).toEqual([rawKeyOf(ID, PNG.sha256)]);
  });
});
