import { DomainError } from './errors';
import { IMAGE_STATES, Image, ImageState } from './image';
import { assertImageId } from './image-id';
import { ImageMessage } from './ports/image-queue.port';

/** A message no consumer can ever handle; it is left to the dead-letter queue. */
export class PoisonMessageError extends DomainError {
  readonly code = 'poison_message';
}

const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function parseImageMessage(body: string): ImageMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new PoisonMessageError(`message body is not JSON: ${body.slice(0, 80)}`);
  }
  const { imageId, requestId, item } = (parsed ?? {}) as { imageId?: unknown; requestId?: unknown; item?: unknown };
  if (typeof imageId !== 'string') throw new PoisonMessageError('message body has no string imageId');
  let id: string;
  try {
    id = assertImageId(imageId);
  } catch (err) {
    throw new PoisonMessageError((err as Error).message);
  }
  // Both optional: a malformed one is dropped (the worker then reads the item), never a reason to refuse the work.
  return {
    imageId: id,
    ...(typeof requestId === 'string' && REQUEST_ID.test(requestId) ? { requestId } : {}),
    ...(isItemOf(id, item) ? { item } : {}),
  };
}

const optional = (value: unknown, type: 'string' | 'number') => value === undefined || typeof value === type;

/** The shape of a stored item of this image: anything else is ignored, not trusted. */
function isItemOf(id: string, item: unknown): item is Image {
  if (typeof item !== 'object' || item === null) return false;
  const i = item as Record<string, unknown>;
  return (
    i.id === id &&
    Number.isSafeInteger(i.version) &&
    (i.version as number) >= 0 &&
    IMAGE_STATES.includes(i.state as ImageState) &&
    typeof i.createdAt === 'number' &&
    typeof i.updatedAt === 'number' &&
    optional(i.rawS3Key, 'string') &&
    optional(i.processedS3Key, 'string') &&
    optional(i.failureReason, 'string') &&
    optional(i.attempts, 'number') &&
    optional(i.enqueuedAt, 'number')
  );
}

/**
 * The copy of the item a consumer may start from: the message's, on its first delivery only. A
 * redelivery follows a failed or interrupted job, which has likely written since (an attempt
 * counted), so it reads afresh instead of spending a render on a copy known to be stale.
 */
export function itemToStartFrom(message: ImageMessage, receiveCount: number | undefined): Image | undefined {
  return receiveCount === 1 ? message.item : undefined;
}
