import { ImageNotFoundError, InvalidImageIdError } from '../errors';
import { IMAGE_IDS, SimWorld, anImage } from '@imagery/testing/domain';

const ID = IMAGE_IDS[0];

describe('GetImage', () => {
  it('returns the stored item, whatever the case of the id', async () => {
    const world = new SimWorld();
    world.table.seed(anImage('uploaded'));
    expect(await world.getImage.execute(ID)).toEqual(anImage('uploaded'));
    expect(await world.getImage.execute(ID.toUpperCase())).toEqual(anImage('uploaded'));
  });

  it('rejects with ImageNotFoundError when there is none', async () => {
    const world = new SimWorld();
    await expect(world.getImage.execute(ID.toUpperCase())).rejects.toEqual(new ImageNotFoundError(ID));
    await expect(world.getImage.execute(ID)).rejects.toMatchObject({ code: 'image_not_found', id: ID });
  });

  it('refuses an invalid id before reading the table', async () => {
    const world = new SimWorld();
    world.faults.failNext('table.get');
    await expect(world.getImage.execute('../etc/passwd')).rejects.toBeInstanceOf(InvalidImageIdError);
    expect(world.faults.injected).toEqual([]);
  });
});
