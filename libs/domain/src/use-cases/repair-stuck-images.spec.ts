import { IMAGE_IDS, SimWorld, anImage } from '@imagery/testing/domain';
import { RepairStuckImages } from './repair-stuck-images';

const STUCK_AFTER = 60_000;
const [A, B, C, D] = IMAGE_IDS;

function sweeperOf(world: SimWorld, batchSize = 10): RepairStuckImages {
  return new RepairStuckImages(world.ports.table, world.ports.queue, world.clock, { stuckAfterMs: STUCK_AFTER, batchSize });
}

/** The messages sent so far are lost (received and deleted by nobody's job): nothing waits in the queue. */
async function loseQueuedMessages(world: SimWorld): Promise<void> {
  for (const m of await world.queue.receive(100, 0)) await world.queue.delete(m.receiptHandle);
}

const sentIds = (world: SimWorld) => world.queue.sent.map((body) => (JSON.parse(body) as { imageId: string }).imageId);

/** A world whose clock is now; `ages` are how long ago each uploaded image was last written. */
function worldWithUploaded(ages: Record<string, number>): SimWorld {
  const world = new SimWorld();
  world.clock.advance(10 * STUCK_AFTER);
  for (const [id, age] of Object.entries(ages)) world.table.seed(anImage('uploaded', { id, updatedAt: world.clock.now() - age }));
  return world;
}

describe('RepairStuckImages', () => {
  it('re-enqueues an image stuck in uploaded and claims it (version and updatedAt bumped, state kept)', async () => {
    const world = worldWithUploaded({ [A]: STUCK_AFTER + 1 });
    expect(await sweeperOf(world).execute()).toEqual([A]);
    expect(sentIds(world)).toEqual([A]);
    expect(world.table.items()).toEqual([
      anImage('uploaded', { id: A, version: 2, updatedAt: world.clock.now(), enqueuedAt: world.clock.now() }),
    ]);
  });

  it('leaves fresh images alone (the bound is strict)', async () => {
    const world = worldWithUploaded({ [A]: STUCK_AFTER, [B]: 1 });
    expect(await sweeperOf(world).execute()).toEqual([]);
    expect(world.queue.sent).toEqual([]);
  });

  it('ignores images in other states, however old', async () => {
    const world = new SimWorld();
    world.clock.advance(10 * STUCK_AFTER);
    for (const [id, state] of [
      [A, 'created'],
      [B, 'processed'],
      [C, 'failed'],
    ] as const)
      world.table.seed(anImage(state, { id }));
    expect(await sweeperOf(world).execute()).toEqual([]);
  });

  it('does not re-send on the next sweep, only once the threshold has passed again', async () => {
    const world = worldWithUploaded({ [A]: STUCK_AFTER + 1 });
    const sweeper = sweeperOf(world);
    await sweeper.execute();
    await loseQueuedMessages(world);
    world.clock.advance(STUCK_AFTER);
    expect(await sweeper.execute()).toEqual([]);
    world.clock.advance(1);
    expect(await sweeper.execute()).toEqual([A]);
  });

  it('takes the oldest first, a batch at a time', async () => {
    const world = worldWithUploaded({ [A]: STUCK_AFTER + 1, [B]: STUCK_AFTER + 3, [C]: STUCK_AFTER + 2 });
    expect(await sweeperOf(world, 2).execute()).toEqual([B, C]);
    await loseQueuedMessages(world);
    expect(await sweeperOf(world, 2).execute()).toEqual([A]);
  });

  it('with two concurrent sweepers, each stuck image is re-enqueued exactly once', async () => {
    const world = worldWithUploaded({ [A]: STUCK_AFTER + 2, [B]: STUCK_AFTER + 1 });
    world.table.seed(anImage('uploaded', { id: D, updatedAt: world.clock.now() })); // fresh
    let arrivals = 0;
    let release!: () => void;
    const bothListed = new Promise<void>((resolve) => (release = resolve));
    world.faults.gate = async (operation) => {
      if (operation !== 'table.update') return;
      if (++arrivals === 2) release();
      await bothListed; // neither claims before both have listed the same images
    };
    const [first, second] = await Promise.all([sweeperOf(world).execute(), sweeperOf(world).execute()]);

    expect([...first, ...second].sort()).toEqual([A, B].sort());
    expect(sentIds(world).sort()).toEqual([A, B].sort());
  });

  it('skips an image processed between the listing and the claim', async () => {
    const world = worldWithUploaded({ [A]: STUCK_AFTER + 1 });
    world.faults.gate = (operation) => {
      if (operation === 'table.update') {
        world.faults.gate = undefined;
        world.table.seed(anImage('processed', { id: A })); // a worker won meanwhile
      }
      return Promise.resolve();
    };
    expect(await sweeperOf(world).execute()).toEqual([]);
    expect(world.queue.sent).toEqual([]);
    expect(world.table.items()).toEqual([anImage('processed', { id: A })]);
  });

  it('a failed send rejects the sweep; a later sweep re-enqueues the image', async () => {
    const world = worldWithUploaded({ [A]: STUCK_AFTER + 1 });
    world.faults.failNext('queue.send');
    await expect(sweeperOf(world).execute()).rejects.toThrow('queue.send');
    world.clock.advance(STUCK_AFTER + 1);
    expect(await sweeperOf(world).execute()).toEqual([A]);
  });

  it('never re-sends an image it enqueued less than the threshold ago, whatever its updatedAt says', async () => {
    const world = worldWithUploaded({});
    world.table.seed(
      anImage('uploaded', { id: A, updatedAt: world.clock.now() - 2 * STUCK_AFTER, enqueuedAt: world.clock.now() - STUCK_AFTER / 2 }),
    );
    expect(await sweeperOf(world).execute()).toEqual([]);
    expect(world.queue.sent).toEqual([]);
  });

  describe('with a bound on attempts', () => {
    const bounded = (world: SimWorld) =>
      new RepairStuckImages(
        world.ports.table,
        world.ports.queue,
        world.clock,
        { stuckAfterMs: STUCK_AFTER, batchSize: 10 },
        { maxAttempts: 2 },
      );

    it('counts each re-enqueue as an attempt, then ends the image failed instead of sending it round again', async () => {
      const world = worldWithUploaded({ [A]: STUCK_AFTER + 1 });
      const sweeper = bounded(world);
      for (let round = 1; round <= 2; round++) {
        expect(await sweeper.execute()).toEqual([A]);
        expect(world.table.items()[0]).toMatchObject({ state: 'uploaded', attempts: round });
        await loseQueuedMessages(world);
        world.clock.advance(STUCK_AFTER + 1);
      }
      expect(await sweeper.execute()).toEqual([]);
      expect(world.table.items()[0]).toMatchObject({
        state: 'failed',
        failureReason: 'attempts_exhausted: 2 attempts (failed jobs and re-enqueues) without success',
      });
      expect(sentIds(world)).toEqual([A, A]);
      world.clock.advance(10 * STUCK_AFTER);
      expect(await sweeper.execute()).toEqual([]); // failed is final: nothing goes round any more
      expect(sentIds(world)).toEqual([A, A]);
    });
  });

  it('does not sweep while messages wait in the queue (an old image may just be queued), and does once they are received', async () => {
    const world = worldWithUploaded({ [A]: STUCK_AFTER + 1 });
    await world.queue.send({ imageId: B });
    expect(await sweeperOf(world).execute()).toEqual([]);
    expect(world.table.items()).toEqual([anImage('uploaded', { id: A, updatedAt: world.clock.now() - STUCK_AFTER - 1 })]);

    await world.queue.receive(10, 0); // in flight is not waiting
    expect(await sweeperOf(world).execute()).toEqual([A]);
  });

  it('asks the queue nothing when nothing is stale (an idle sweep is one read)', async () => {
    const world = worldWithUploaded({ [A]: STUCK_AFTER - 1 });
    world.faults.failNext('queue.backlog');
    expect(await sweeperOf(world).execute()).toEqual([]);
    expect(world.faults.armedCount()).toBe(1); // the backlog was never read
    world.clock.advance(2);
    await expect(sweeperOf(world).execute()).rejects.toThrow('queue.backlog'); // now A is stale: it is read
  });
});
