import { Image, ObjectStore } from '@imagery/domain';
import { ImageView, toImageView } from './image-view';

/** Adds the presigned `processedImage` URL a browser can load once the image is processed. */
export class ImagePresenter {
  constructor(
    private readonly store: ObjectStore,
    private readonly presignTtlSeconds: number,
  ) {}

  async view(image: Image): Promise<ImageView> {
    const url =
      image.state === 'processed' && image.processedS3Key
        ? await this.store.presignGet(image.processedS3Key, this.presignTtlSeconds)
        : undefined;
    return toImageView(image, url);
  }
}
