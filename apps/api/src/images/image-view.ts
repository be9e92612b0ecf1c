import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IMAGE_STATES, Image, ImageState } from '@imagery/domain';

/** An image process as the API returns it (the seed's field names). */
export class ImageView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Bumped by every write; never goes backwards.' }) version!: number;
  @ApiProperty({ enum: IMAGE_STATES }) state!: ImageState;
  @ApiPropertyOptional() rawS3Key?: string;
  @ApiPropertyOptional() processedS3Key?: string;
  @ApiPropertyOptional({ description: 'Short-lived presigned URL of the sepia image, once processed.' }) processedImage?: string;
  @ApiPropertyOptional({ description: 'Why a failed image could not be processed.' }) failureReason?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ErrorBody {
  @ApiProperty() statusCode!: number;
  @ApiProperty({ description: 'Machine-readable error code, e.g. image_not_found.' }) error!: string;
  @ApiProperty() message!: string;
}

export function toImageView(image: Image, processedImage?: string): ImageView {
  return {
    id: image.id,
    version: image.version,
    state: image.state,
    rawS3Key: image.rawS3Key,
    processedS3Key: image.processedS3Key,
    processedImage,
    failureReason: image.failureReason,
    createdAt: new Date(image.createdAt).toISOString(),
    updatedAt: new Date(image.updatedAt).toISOString(),
  };
}
