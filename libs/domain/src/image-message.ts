import { DomainError } from './errors';
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
  const { imageId, requestId } = (parsed ?? {}) as { imageId?: unknown; requestId?: unknown };
  if (typeof imageId !== 'string') throw new PoisonMessageError('message body has no string imageId');
  let id: string;
  try {
    id = assertImageId(imageId);
  } catch (err) {
    throw new PoisonMessageError((err as Error).message);
  }
  // Optional and only informative: a malformed one is dropped, never a reason to refuse the work.
  return typeof requestId === 'string' && REQUEST_ID.test(requestId) ? { imageId: id, requestId } : { imageId: id };
}
