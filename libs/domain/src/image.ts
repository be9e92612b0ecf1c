/** An image process, as stored and as returned by the API (field names kept from the seed). */
export type ImageState = 'created' | 'uploaded' | 'processed' | 'failed';

export const IMAGE_STATES: readonly ImageState[] = ['created', 'uploaded', 'processed', 'failed'];

export interface Image {
  readonly id: string;
  /** Bumped by every write; the optimistic lock. */
  readonly version: number;
  readonly state: ImageState;
  readonly rawS3Key?: string;
  readonly processedS3Key?: string;
  /** Why a `failed` image could not be processed. */
  readonly failureReason?: string;
  /** Processing attempts that failed or were handed out again by the repair sweep; bounded. */
  readonly attempts?: number;
  /** When the repair sweep last re-enqueued the image (epoch ms); it never re-sends sooner than its threshold. */
  readonly enqueuedAt?: number;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

export function newImage(id: string, now: number): Image {
  return { id, version: 0, state: 'created', createdAt: now, updatedAt: now };
}
