import { validationError } from './errors';

/** FIS-style list paging: `maxResults` per page, an opaque `nextToken` while more remain. */
export function paginate<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { page: T[]; nextToken?: string } {
  const size = maxResults ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 100)
    throw validationError(`maxResults must be an integer from 1 to 100, got ${maxResults}`);
  const start = nextToken === undefined ? 0 : decode(nextToken);
  const page = items.slice(start, start + size);
  return start + size < items.length ? { page, nextToken: encode(start + size) } : { page };
}

const encode = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString('base64url');

function decode(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString()) as { offset: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw validationError('nextToken is invalid');
}
