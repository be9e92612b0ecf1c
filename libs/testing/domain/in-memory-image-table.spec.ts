import { describeImageTableContract } from './image-table.contract';
import { anImage } from './image-fixtures';
import { InMemoryImageTable } from './in-memory-image-table';

describeImageTableContract('InMemoryImageTable', () => new InMemoryImageTable());

describe('InMemoryImageTable', () => {
  it('copies items in and out, so callers cannot change what is stored', async () => {
    const table = new InMemoryImageTable();
    const image = { ...anImage('created') };
    await table.create(image);
    (image as { state: string }).state = 'processed';
    const read = (await table.get(image.id))!;
    (read as { version: number }).version = 42;
    expect(await table.get(image.id)).toEqual(anImage('created'));
  });

  it('sets the defined fields of an update and never removes an attribute (like the DynamoDB SET)', async () => {
    const table = new InMemoryImageTable();
    table.seed(anImage('failed'));
    const stored = await table.update({ ...anImage('failed'), version: 3, failureReason: undefined }, 2, ['failed']);
    expect(stored).toEqual({ ...anImage('failed'), version: 3 });
  });

  it('seeds items bypassing conditions and lists them', () => {
    const table = new InMemoryImageTable();
    table.seed(anImage('processed'));
    expect(table.items()).toEqual([anImage('processed')]);
  });
});
