import { Image } from '../image';
import { processedKeyOf } from '../object-keys';
import { Transition } from '../state-machine';
import { transitionImage } from '../use-cases/transition-image';
import { IMAGE_IDS, LandedThenConflictTable, SimWorld, anImage, stagedUpload } from '@imagery/testing/domain';
import { reachesDuring } from '@imagery/testing/coverage/reaches-during';

/** The domain's markers sit on the recovery branches themselves: each is reached exactly when that recovery happens. */
const ID = IMAGE_IDS[0];
const PNG = stagedUpload('IMG-some-png-bytes');
const TO_PROCESSED: Transition = { to: 'processed', processedS3Key: processedKeyOf(ID) };

function worldWith(image: Image): SimWorld {
  const world = new SimWorld();
  world.table.seed(image);
  return world;
}

describe('the recovery paths the domain marks', () => {
  it('a plain upload and its job reach none', async () => {
    const world = worldWith(anImage('created'));
    expect(
      await reachesDuring(async () => {
        await world.uploadImage.execute(ID, PNG);
        await world.processImage.execute(ID);
      }),
    ).toEqual({});
  });

  it('create-found-existing: a create retried with the same id', async () => {
    const world = new SimWorld();
    expect(await reachesDuring(() => world.createImage.execute(ID))).toEqual({});
    expect(await reachesDuring(() => world.createImage.execute(ID))).toEqual({ 'create-found-existing': 1 });
  });

  it('upload-retry-found-uploaded: an upload retried after its answer was lost', async () => {
    const world = worldWith(anImage('created'));
    await world.uploadImage.execute(ID, PNG);
    expect(await reachesDuring(() => world.uploadImage.execute(ID, PNG))).toEqual({ 'upload-retry-found-uploaded': 1 });
  });

  it('send-failed-left-to-sweep, then stuck-upload-re-enqueued: a lost SendMessage repaired by the sweep', async () => {
    const world = worldWith(anImage('created'));
    world.faults.failNext('queue.send');
    expect(await reachesDuring(() => world.uploadImage.execute(ID, PNG))).toEqual({ 'send-failed-left-to-sweep': 1 });
    world.clock.advance(world.settings.stuckAfterMs + 1);
    expect(await reachesDuring(() => world.repair.execute())).toEqual({ 'stuck-upload-re-enqueued': 1 });
  });

  it('ambiguous-write-found-applied: a write that landed but reported a conflict, re-read and found done', async () => {
    const table = new LandedThenConflictTable();
    table.seed(anImage('uploaded'));
    const world = new SimWorld();
    expect(await reachesDuring(() => transitionImage(table, world.clock, ID, TO_PROCESSED))).toEqual({
      'version-conflict-reread': 1,
      'ambiguous-write-found-applied': 1,
    });
  });

  it('stale-copy-reread: a job starting from a stale copy of the item; version-conflict-reread: a race after a fresh read', async () => {
    const stale = worldWith(anImage('uploaded', { version: 3 }));
    expect(await reachesDuring(() => transitionImage(stale.ports.table, stale.clock, ID, TO_PROCESSED, anImage('uploaded')))).toEqual({
      'stale-copy-reread': 1,
    });

    const raced = worldWith(anImage('uploaded'));
    let left = 1;
    raced.faults.gate = async (operation) => {
      if (operation !== 'table.update' || left-- <= 0) return;
      raced.table.seed({ ...(await raced.table.get(ID))!, version: 2 });
    };
    expect(await reachesDuring(() => transitionImage(raced.ports.table, raced.clock, ID, TO_PROCESSED))).toEqual({
      'version-conflict-reread': 1,
    });
  });

  it('duplicate-message-already-done: a job for an image already processed', async () => {
    const world = worldWith(anImage('processed'));
    expect(await reachesDuring(() => world.processImage.execute(ID))).toEqual({ 'duplicate-message-already-done': 1 });
  });
});
