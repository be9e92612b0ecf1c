import { VersionConflictError } from '@imagery/domain/errors';
import { Image, ImageState } from '@imagery/domain/image';
import { ImageTable } from '@imagery/domain/ports/image-table.port';
import { promiseOf } from '../promise-of';

/**
 * The table as the DynamoDB adapter behaves: create is `attribute_not_exists(id)`; update is
 * `version = :expected AND state IN (:from...)` and SETs the defined fields of `next` on the stored
 * item (it never removes an attribute), returning the item as stored (ALL_NEW). Items are copied in
 * and out, so a caller mutating what it got back cannot change the table.
 */
export class InMemoryImageTable implements ImageTable {
  private readonly rows = new Map<string, Image>();

  create(image: Image): Promise<{ image: Image; created: boolean }> {
    return promiseOf(() => {
      const stored = this.rows.get(image.id);
      if (stored) return { image: { ...stored }, created: false };
      this.rows.set(image.id, { ...image });
      return { image: { ...image }, created: true };
    });
  }

  get(id: string): Promise<Image | undefined> {
    return promiseOf(() => {
      const stored = this.rows.get(id);
      return stored && { ...stored };
    });
  }

  update(next: Image, expectedVersion: number, fromStates: readonly ImageState[]): Promise<Image> {
    return promiseOf(() => {
      const stored = this.rows.get(next.id);
      if (!stored || stored.version !== expectedVersion || !fromStates.includes(stored.state)) {
        throw new VersionConflictError(next.id, expectedVersion);
      }
      const merged = { ...stored, ...definedFields(next) };
      this.rows.set(next.id, merged);
      return { ...merged };
    });
  }

  listStale(state: ImageState, updatedBefore: number, limit: number): Promise<Image[]> {
    return promiseOf(() => {
      return [...this.rows.values()]
        .filter((image) => image.state === state && image.updatedAt < updatedBefore)
        .sort((a, b) => a.updatedAt - b.updatedAt || a.id.localeCompare(b.id))
        .slice(0, limit)
        .map((image) => ({ ...image }));
    });
  }

  /** Test arrangement: stores an item as is, bypassing every condition. */
  seed(image: Image): void {
    this.rows.set(image.id, { ...image });
  }

  /** Every stored item, for assertions. */
  items(): Image[] {
    return [...this.rows.values()].map((image) => ({ ...image }));
  }
}

function definedFields(image: Image): Partial<Image> {
  return Object.fromEntries(Object.entries(image).filter(([, value]) => value !== undefined));
}
