import { reached } from '../coverage/reached';
import { Image, newImage } from '../image';
import { assertImageId } from '../image-id';
import { Clock } from '../ports/clock.port';
import { ImageTable } from '../ports/image-table.port';

/** Creates an image process once; a retry with the same id gets the stored item back. */
export class CreateImage {
  constructor(
    private readonly table: ImageTable,
    private readonly clock: Clock,
  ) {}

  async execute(rawId: string): Promise<{ image: Image; created: boolean }> {
    const result = await this.table.create(newImage(assertImageId(rawId), this.clock.now()));
    if (!result.created) reached('create-found-existing');
    return result;
  }
}
