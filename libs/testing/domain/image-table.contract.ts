import { VersionConflictError } from '@imagery/domain/errors';
import { Image } from '@imagery/domain/image';
import { ImageTable } from '@imagery/domain/ports/image-table.port';
import { IMAGE_IDS, anImage } from './image-fixtures';

/**
 * The ImageTable port's contract as jest tests, for the in-memory fake and any adapter (the
 * DynamoDB one against moto). `makeTable` returns an empty table; ids come from IMAGE_IDS.
 */
export function describeImageTableContract(name: string, makeTable: () => Promise<ImageTable> | ImageTable): void {
  describe(`${name} honours the ImageTable contract`, () => {
    const [A, B, C, D] = IMAGE_IDS;
    let table: ImageTable;
    beforeEach(async () => {
      table = await makeTable();
    });

    it('creates only if absent, and returns what is stored either way', async () => {
      const first = anImage('created', { id: A });
      expect(await table.create(first)).toEqual({ image: first, created: true });
      const second = anImage('created', { id: A, createdAt: first.createdAt + 5, updatedAt: first.updatedAt + 5 });
      expect(await table.create(second)).toEqual({ image: first, created: false });
      expect(await table.get(A)).toEqual(first);
    });

    it('reads undefined for an unknown id', async () => {
      expect(await table.get(B)).toBeUndefined();
    });

    it('updates when the version and the state match, and returns the stored item', async () => {
      await table.create(anImage('created', { id: A }));
      const next = anImage('uploaded', { id: A, updatedAt: 9 });
      expect(await table.update(next, 0, ['created', 'uploaded'])).toEqual(next);
      expect(await table.get(A)).toEqual(next);
    });

    it.each<[string, number, Image['state'][]]>([
      ['another version', 1, ['created']],
      ['a state not allowed', 0, ['uploaded']],
    ])('throws VersionConflictError and writes nothing on %s', async (_, expectedVersion, fromStates) => {
      const stored = anImage('created', { id: A });
      await table.create(stored);
      await expect(table.update(anImage('uploaded', { id: A }), expectedVersion, fromStates)).rejects.toBeInstanceOf(VersionConflictError);
      expect(await table.get(A)).toEqual(stored);
    });

    it('throws VersionConflictError when updating an item that does not exist, and creates nothing', async () => {
      await expect(table.update(anImage('uploaded', { id: B }), 0, ['created'])).rejects.toBeInstanceOf(VersionConflictError);
      expect(await table.get(B)).toBeUndefined();
    });

    it('lists stale items of one state, strictly before the bound, oldest first, limited', async () => {
      const at = (id: string, state: Image['state'], updatedAt: number) => table.create(anImage(state, { id, updatedAt }));
      await at(A, 'uploaded', 300);
      await at(B, 'uploaded', 100);
      await at(C, 'uploaded', 500); // not before the bound
      await at(D, 'processed', 50); // other state
      expect((await table.listStale('uploaded', 500, 10)).map((i) => i.id)).toEqual([B, A]);
      expect((await table.listStale('uploaded', 500, 1)).map((i) => i.id)).toEqual([B]);
      expect(await table.listStale('failed', 500, 10)).toEqual([]);
    });
  });
}
