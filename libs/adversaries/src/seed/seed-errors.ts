import { DomainError, ImageNotFoundError, InvalidImageError, InvalidImageIdError } from '@imagery/domain';

/**
 * The seed's error handling: every failure is thrown as is (`if (err) throw err;`) and the client
 * gets a 500. Only the answers our API shape owes a client for bad input (a malformed id, an unknown
 * id, a file that is no image) stay 4xx; a lost race or a failed condition is a 500, as in the seed.
 */
export function asSeedError(err: unknown): unknown {
  if (err instanceof InvalidImageIdError || err instanceof ImageNotFoundError || err instanceof InvalidImageError) return err;
  if (err instanceof DomainError) return new Error(`${err.name}: ${err.message}`);
  return err;
}

export async function seedErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw asSeedError(err);
  }
}
