import { DomainError, ImageNotFoundError, InvalidImageError } from '@imagery/domain';
import { IMAGE_IDS, NOT_AN_IMAGE, UNDECODABLE, stagedUpload } from '@imagery/testing/domain';
import { adversaryWorld } from '@imagery/testing/adversaries/adversary-world';
import { adversaryFor } from '../registry';

const ID = IMAGE_IDS[1];
const seed = () => adversaryWorld(adversaryFor({ kind: 'seed' }));
/** The seed answers 500 for anything that is not a DomainError (the API's one error mapping). */
const isA500 = (err: unknown) => err instanceof Error && !(err instanceof DomainError);

async function uploaded(w: ReturnType<typeof seed>) {
  await w.createImage.execute(ID);
  await w.uploadImage.execute(ID, stagedUpload('jpeg bytes'));
  return (await w.table.get(ID))!;
}

describe('the seed build, as in chapter13 of AWSinAction/code', () => {
  it('creates with attribute_not_exists(id): a retried create is a 500, not the stored item', async () => {
    const w = seed();
    await expect(w.createImage.execute(ID)).resolves.toMatchObject({ created: true });
    const retry = await w.createImage.execute(ID).catch((err: unknown) => err);
    expect(isA500(retry)).toBe(true);
    expect(String(retry)).toMatch(/ConditionalCheckFailed/);
  });

  it('uploads under upload/<id>-<Date.now()>, records uploaded conditionally, then sends one message', async () => {
    const w = seed();
    const image = await uploaded(w);
    expect(image).toMatchObject({ state: 'uploaded', version: 1 });
    expect(image.rawS3Key).toMatch(new RegExp(`^upload/${ID}-\\d+$`));
    expect(w.store.keys('upload/')).toEqual([image.rawS3Key]);
    expect(w.queue.sent).toEqual([JSON.stringify({ imageId: ID })]);
  });

  it('keeps our API shape for bad input: an unknown id is a 404, a file that is no image a 415', async () => {
    const w = seed();
    await expect(w.uploadImage.execute(ID, stagedUpload('jpeg bytes'))).rejects.toBeInstanceOf(ImageNotFoundError);
    await w.createImage.execute(ID);
    await expect(w.uploadImage.execute(ID, stagedUpload(NOT_AN_IMAGE))).rejects.toBeInstanceOf(InvalidImageError);
  });

  it('an ambiguous UpdateItem is a 500; the retry stores a second raw object and moves the item to it', async () => {
    const w = seed();
    await w.createImage.execute(ID);
    w.plan.failNext('table.update', 'ambiguous');
    const first = await w.uploadImage.execute(ID, stagedUpload('jpeg bytes')).catch((err: unknown) => err);
    expect(isA500(first)).toBe(true);
    expect(w.queue.sent).toHaveLength(0);
    await w.uploadImage.execute(ID, stagedUpload('jpeg bytes'));
    const image = (await w.table.get(ID))!;
    expect(image.version).toBe(2);
    expect(w.store.keys('upload/')).toHaveLength(2); // the first object is an orphan
    expect(w.store.keys('upload/')).toContain(image.rawS3Key);
  });

  it('a failed SendMessage is a 500 after the item is uploaded, and nothing will send it again', async () => {
    const w = seed();
    await w.createImage.execute(ID);
    w.plan.failNext('queue.send', 'error');
    const answer = await w.uploadImage.execute(ID, stagedUpload('jpeg bytes')).catch((err: unknown) => err);
    expect(isA500(answer)).toBe(true);
    expect((await w.table.get(ID))!.state).toBe('uploaded');
    expect(w.queue.sent).toHaveLength(0);
  });

  it('a duplicate message renders again under a new processed/<id>-<Date.now()>.png key: two processed objects', async () => {
    const w = seed();
    await uploaded(w);
    await expect(w.processImage.execute(ID)).resolves.toBe('processed');
    await expect(w.processImage.execute(ID)).resolves.toBe('processed');
    const image = (await w.table.get(ID))!;
    expect(image).toMatchObject({ state: 'processed', version: 3 });
    expect(image.processedS3Key).toMatch(new RegExp(`^processed/${ID}-\\d+\\.png$`));
    expect(w.store.keys('processed/')).toHaveLength(2);
  });

  it('a worker that lost the race throws after storing its object (the message comes back)', async () => {
    const w = seed();
    await uploaded(w);
    w.plan.failNext('table.update', 'ambiguous'); // applied; the worker sees an error
    expect(isA500(await w.processImage.execute(ID).catch((err: unknown) => err))).toBe(true);
    await w.processImage.execute(ID); // redelivered: renders again
    expect(w.store.keys('processed/')).toHaveLength(2);
  });

  it('has no failed state: an undecodable image throws on every delivery, until the message is dead-lettered', async () => {
    const w = seed();
    await w.createImage.execute(ID);
    await w.uploadImage.execute(ID, stagedUpload(UNDECODABLE));
    await expect(w.processImage.execute(ID)).rejects.toThrow(/corrupt pixel data/);
    expect((await w.table.get(ID))!.state).toBe('uploaded');
  });

  it('runs no repair sweep', () => {
    expect(adversaryFor({ kind: 'seed' }).repairSweep).toBe(false);
  });
});
