import { ImageNotFoundError, TransitionNotAllowedError, VersionConflictError } from '../errors';
import { Image } from '../image';
import { processedKeyOf, rawKeyOf } from '../object-keys';
import { ALLOWED_FROM, Transition } from '../state-machine';
import { IMAGE_IDS, LandedThenConflictTable, InjectedFaultError, SimWorld, anImage, FIXTURE_SHA256 } from '@imagery/testing/domain';
import { transitionImage } from './transition-image';

const ID = IMAGE_IDS[0];
const TO_UPLOADED: Transition = { to: 'uploaded', rawS3Key: rawKeyOf(ID, FIXTURE_SHA256) };
const TO_PROCESSED: Transition = { to: 'processed', processedS3Key: processedKeyOf(ID) };

function worldWith(image: Image): { world: SimWorld; updates: jest.SpyInstance } {
  const world = new SimWorld();
  world.table.seed(image);
  return { world, updates: jest.spyOn(world.table, 'update') };
}

/** Lets `times` other writers bump the version between our read and our write. */
function raceWriters(world: SimWorld, times: number, write: (current: Image) => Image): void {
  let left = times;
  world.faults.gate = async (operation) => {
    if (operation !== 'table.update' || left-- <= 0) return;
    const current = (await world.table.get(ID))!;
    world.table.seed(write(current));
  };
}

describe('transitionImage', () => {
  it('writes the transition conditionally on the version read and the allowed states', async () => {
    const { world, updates } = worldWith(anImage('uploaded'));
    world.clock.advance(7);
    const result = await transitionImage(world.ports.table, world.clock, ID, TO_PROCESSED);

    expect(result).toEqual(anImage('processed', { updatedAt: world.clock.now() }));
    expect(updates).toHaveBeenCalledTimes(1);
    expect(updates).toHaveBeenCalledWith(result, 1, ALLOWED_FROM.processed);
  });

  it('returns the stored item without writing when the transition is already applied', async () => {
    const { world, updates } = worldWith(anImage('processed'));
    world.clock.advance(7);
    const result = await transitionImage(world.ports.table, world.clock, ID, TO_PROCESSED);
    expect(result).toEqual(anImage('processed')); // same version, same updatedAt
    expect(updates).not.toHaveBeenCalled();
  });

  it('writes again when the state matches but the written fields differ', async () => {
    const { world } = worldWith(anImage('processed', { processedS3Key: 'processed/old.jpg' }));
    const result = await transitionImage(world.ports.table, world.clock, ID, TO_PROCESSED);
    expect(result).toMatchObject({ version: 3, processedS3Key: processedKeyOf(ID) });
  });

  it('re-reads and retries after a version conflict', async () => {
    const { world, updates } = worldWith(anImage('uploaded'));
    raceWriters(world, 2, (current) => ({ ...current, version: current.version + 1 })); // e.g. repair sweeps
    const result = await transitionImage(world.ports.table, world.clock, ID, TO_PROCESSED);
    expect(result).toMatchObject({ state: 'processed', version: 4 });
    expect(updates).toHaveBeenCalledTimes(3);
  });

  it('decides on a known item without reading; a stale one conflicts, and a read decides again', async () => {
    const { world, updates } = worldWith(anImage('uploaded', { version: 3 }));
    const reads = jest.spyOn(world.table, 'get');
    const fresh = await transitionImage(world.ports.table, world.clock, ID, TO_PROCESSED, anImage('uploaded', { version: 3 }));
    expect(fresh).toMatchObject({ state: 'processed', version: 4 });
    expect(reads).not.toHaveBeenCalled();

    const { world: other } = worldWith(anImage('uploaded', { version: 3 }));
    const stale = await transitionImage(other.ports.table, other.clock, ID, TO_PROCESSED, anImage('uploaded'));
    expect(stale).toMatchObject({ state: 'processed', version: 4 });
    expect(updates).toHaveBeenCalledTimes(1);
  });

  it('after losing the race to the same transition, returns the winner without writing', async () => {
    const { world, updates } = worldWith(anImage('uploaded'));
    raceWriters(world, 1, () => anImage('processed'));
    const result = await transitionImage(world.ports.table, world.clock, ID, TO_PROCESSED);
    expect(result).toEqual(anImage('processed'));
    expect(updates).toHaveBeenCalledTimes(1); // the lost attempt only
  });

  it('after losing the race to a conflicting transition, refuses it', async () => {
    const { world } = worldWith(anImage('uploaded'));
    raceWriters(world, 1, () => anImage('failed'));
    await expect(transitionImage(world.ports.table, world.clock, ID, TO_PROCESSED)).rejects.toEqual(
      new TransitionNotAllowedError(ID, 'failed', 'processed'),
    );
  });

  it('gives up with VersionConflictError after 8 conflicting attempts', async () => {
    const { world, updates } = worldWith(anImage('uploaded'));
    raceWriters(world, Infinity, (current) => ({ ...current, version: current.version + 1 }));
    await expect(transitionImage(world.ports.table, world.clock, ID, TO_PROCESSED)).rejects.toBeInstanceOf(VersionConflictError);
    expect(updates).toHaveBeenCalledTimes(8);
  });

  it('refuses a forbidden transition without writing', async () => {
    const { world, updates } = worldWith(anImage('processed'));
    await expect(transitionImage(world.ports.table, world.clock, ID, TO_UPLOADED)).rejects.toBeInstanceOf(TransitionNotAllowedError);
    expect(updates).not.toHaveBeenCalled();
  });

  it('rejects with ImageNotFoundError for an unknown id', async () => {
    const world = new SimWorld();
    await expect(transitionImage(world.ports.table, world.clock, ID, TO_UPLOADED)).rejects.toEqual(new ImageNotFoundError(ID));
  });

  it('propagates an error that is not a conflict, without retrying', async () => {
    const { world, updates } = worldWith(anImage('uploaded'));
    world.faults.failNext('table.update');
    await expect(transitionImage(world.ports.table, world.clock, ID, TO_PROCESSED)).rejects.toBeInstanceOf(InjectedFaultError);
    expect(updates).not.toHaveBeenCalled();
    expect(world.table.items()).toEqual([anImage('uploaded')]);
  });

  it('an ambiguous update (applied, then an error) followed by a retry ends consistent, written once', async () => {
    const { world, updates } = worldWith(anImage('uploaded'));
    world.faults.failNext('table.update', 'ambiguous');
    await expect(transitionImage(world.ports.table, world.clock, ID, TO_PROCESSED)).rejects.toBeInstanceOf(InjectedFaultError);
    world.clock.advance(1_000);
    const retried = await transitionImage(world.ports.table, world.clock, ID, TO_PROCESSED);

    expect(retried).toEqual(anImage('processed'));
    expect(world.table.items()).toEqual([anImage('processed')]);
    expect(updates).toHaveBeenCalledTimes(1);
  });

  it('an update that landed but reports a conflict (an SDK retry of a lost response) resolves in one call', async () => {
    const table = new LandedThenConflictTable();
    table.seed(anImage('uploaded'));
    const world = new SimWorld();
    const result = await transitionImage(table, world.clock, ID, TO_PROCESSED);
    expect(result).toEqual(anImage('processed'));
    expect(table.items()).toEqual([anImage('processed')]);
  });
});
