import { DomainError } from './errors';
import { assertImageId } from './image-id';
import { ImageMessage } from './ports/image-queue.port';

/** A message no consumer can ever handle; it is left to the dead-letter queue. */
export class PoisonMessageError extends DomainError {
  readonly code = 'poison_message';
}

export function parseImageMessage(body: string): ImageMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new PoisonMessageError(`message body is not JSON: ${body.slice(0, 80)}`);
  }
  const imageId = (parsed as { imageId?: unknown } | null)?.imageId;
  if (typeof imageId !== 'string') throw new PoisonMessageError('message body has no string imageId');
  try {
    return { imageId: assertImageId(imageId) };
  } catch (err) {
    throw new PoisonMessageError((err as Error).message);
  }
}
