import { ImageNotFoundError, InvalidImageError, InvalidImageIdError, TransitionNotAllowedError } from '../errors';
import { processedKeyOf, rawKeyOf } from '../object-keys';
import { IMAGE_IDS, InjectedFaultError, SimWorld, anImage, drain, pollOnce, sepiaOf, stagedUpload } from '../testing';

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

    const uploaded = anImage('uploaded', { updatedAt: world.clock.now() });
    expect(result).toEqual({ image: uploaded, enqueued: true });
    expect(world.table.items()).toEqual([uploaded]);
    expect(world.store.keys()).toEqual([rawKeyOf(ID)]);
    expect(world.store.object(rawKeyOf(ID))).toEqual({ bytes: PNG.bytes, contentType: 'image/png' });
    expect(world.queue.sent).toEqual([JSON.stringify({ imageId: ID })]);
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
    await world.store.put(rawKeyOf(ID), stagedUpload('IMG-original').open(), 'image/png');

    await expect(world.uploadImage.execute(ID, PNG)).rejects.toEqual(new TransitionNotAllowedError(ID, state, 'uploaded'));
    expect(world.store.bytesOf(rawKeyOf(ID))?.toString()).toBe('IMG-original');
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
    expect(retry).toEqual({ image: anImage('uploaded'), enqueued: true });
    expect(world.queue.sent).toHaveLength(1);
  });

  it('accepts the id in upper case and stores under the lower-case key', async () => {
    const world = createdWorld();
    await world.uploadImage.execute(ID.toUpperCase(), PNG);
    expect(world.store.keys()).toEqual([rawKeyOf(ID)]);
  });

  it('refuses an invalid id before anything else', async () => {
    const world = createdWorld();
    await expect(world.uploadImage.execute('nope', PNG)).rejects.toBeInstanceOf(InvalidImageIdError);
    expect(world.filter.inspectCalls).toBe(0);
  });

  // Known bug (reported, not fixed here): a second upload with different bytes while the image is
  // `uploaded` overwrites the raw object, but its transition is "already applied" (no write, no
  // version bump), so a worker that read the first bytes still commits `processed` with the old
  // rendering; the second upload was acknowledged (2xx, enqueued) and is never rendered.
  it.failing('a re-upload acknowledged while a worker renders the old bytes gets rendered', async () => {
    const world = createdWorld();
    await world.uploadImage.execute(ID, stagedUpload('IMG-first'));
    let reuploaded = false;
    world.faults.gate = async (operation) => {
      if (operation !== 'store.put' || reuploaded) return; // the worker is about to store its rendering
      reuploaded = true;
      await world.uploadImage.execute(ID, stagedUpload('IMG-second'));
    };
    await pollOnce(world, 10);
    world.faults.gate = undefined;
    await drain(world);

    expect(world.store.bytesOf(rawKeyOf(ID))?.toString()).toBe('IMG-second');
    expect(world.store.bytesOf(processedKeyOf(ID))?.toString()).toBe(sepiaOf('IMG-second').toString());
  });
});
