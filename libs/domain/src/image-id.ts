import { InvalidImageIdError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Client-chosen ids must be UUIDs: that keeps keys safe and creation retry-safe. */
export function assertImageId(id: string): string {
  if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidImageIdError(id);
  return id.toLowerCase();
}
