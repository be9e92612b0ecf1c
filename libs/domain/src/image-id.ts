import { InvalidImageIdError } from './errors';

/** An RFC 9562 UUID (versions 1-8, the RFC variant), in any letter case; stated as is in the OpenAPI document. */
export const IMAGE_ID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$';

const UUID = new RegExp(IMAGE_ID_PATTERN);

/** Client-chosen ids must be UUIDs: that keeps keys safe and creation retry-safe. */
export function assertImageId(id: string): string {
  if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidImageIdError(id);
  return id.toLowerCase();
}
