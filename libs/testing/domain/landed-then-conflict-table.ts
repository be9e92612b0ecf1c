import { VersionConflictError } from '@imagery/domain/errors';
import { Image, ImageState } from '@imagery/domain/image';
import { InMemoryImageTable } from './in-memory-image-table';

/** The first update is applied, then reported as a conflict (the SDK's retry of a lost response found it done). */
export class LandedThenConflictTable extends InMemoryImageTable {
  private landed = false;
  override async update(next: Image, expectedVersion: number, fromStates: readonly ImageState[]): Promise<Image> {
    const stored = await super.update(next, expectedVersion, fromStates);
    if (this.landed) return stored;
    this.landed = true;
    throw new VersionConflictError(next.id, expectedVersion);
  }
}
