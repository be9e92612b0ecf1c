import { ImageNotFoundError } from '../errors';
import { Image } from '../image';
import { assertImageId } from '../image-id';
import { ImageTable } from '../ports/image-table.port';

export class GetImage {
  constructor(private readonly table: ImageTable) {}

  async execute(rawId: string): Promise<Image> {
    const id = assertImageId(rawId);
    const image = await this.table.get(id);
    if (!image) throw new ImageNotFoundError(id);
    return image;
  }
}
