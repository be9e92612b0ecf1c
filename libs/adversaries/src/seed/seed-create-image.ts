import { Clock, Image, ImageTable, assertImageId, newImage } from '@imagery/domain';

/**
 * server.js `POST /image`: PutItem with `attribute_not_exists(id)`; an error is thrown. The seed
 * chose the id itself; with our client ids a retried create whose first try landed fails its
 * condition, and the seed turns that into a 500 instead of returning the stored item.
 */
export class SeedCreateImage {
  constructor(
    private readonly table: ImageTable,
    private readonly clock: Clock,
  ) {}

  async execute(rawId: string): Promise<{ image: Image; created: boolean }> {
    const { image, created } = await this.table.create(newImage(assertImageId(rawId), this.clock.now()));
    if (!created) throw new Error(`ConditionalCheckFailedException: image ${image.id} exists (attribute_not_exists(id))`);
    return { image, created };
  }
}
