import { Image } from '@imagery/domain';
import { ImageView, toImageView } from './image-view';
import { PresignedUrlCache } from './presigned-url-cache';

/** Adds the presigned `processedImage` URL a browser can load once the image is processed. */
export class ImagePresenter {
  constructor(private readonly urls: PresignedUrlCache) {}

  async view(image: Image): Promise<ImageView> {
    const url =
      image.state === 'processed' && image.processedS3Key ? await this.urls.urlOf(image.processedS3Key, image.version) : undefined;
    return toImageView(image, url);
  }
}
