import { conflict } from './errors';

/**
 * `clientToken` idempotency, as AWS does it: the same token with the same request returns what
 * the first call created; the same token with a different request is a conflict.
 */
export class ClientTokens {
  private readonly seen = new Map<string, { fingerprint: string; id: string }>();

  /** The id created earlier for this token and request, if any. */
  replay(token: string | undefined, request: unknown): string | undefined {
    if (token === undefined) return undefined;
    const earlier = this.seen.get(token);
    if (!earlier) return undefined;
    if (earlier.fingerprint !== fingerprint(request)) throw conflict(`clientToken ${token} was already used with a different request`);
    return earlier.id;
  }

  remember(token: string | undefined, request: unknown, id: string): void {
    if (token !== undefined) this.seen.set(token, { fingerprint: fingerprint(request), id });
  }
}

const fingerprint = (request: unknown) =>
  JSON.stringify(request, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
