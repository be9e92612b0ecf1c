import { Clock, ObjectStore } from '@imagery/domain';

interface Presigned {
  readonly url: string;
  readonly expiresAt: number;
}

/** Enough for every image a busy instance serves in a TTL; beyond it the oldest entry goes. */
const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Presigned GET URLs, reused per object and item version until shortly before they expire:
 * signing is the costliest step of a read (SigV4 over a canonical request, the SDK's middleware
 * stack), and a processed image's URL is read far more often than it changes. A URL handed out
 * is always valid for at least `minRemainingMs` (a minute, or half the TTL when that is shorter).
 */
export class PresignedUrlCache {
  private readonly entries = new Map<string, Presigned>();
  private readonly ttlMs: number;
  private readonly minRemainingMs: number;

  constructor(
    private readonly store: ObjectStore,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {
    this.ttlMs = ttlSeconds * 1000;
    this.minRemainingMs = Math.min(60_000, this.ttlMs / 2);
  }

  async urlOf(key: string, version: number): Promise<string> {
    const id = `${version}:${key}`;
    const now = this.clock.now();
    const cached = this.entries.get(id);
    if (cached && cached.expiresAt - now >= this.minRemainingMs) return cached.url;
    // the clock is read before signing, so the entry never outlives the URL
    const url = await this.store.presignGet(key, this.ttlSeconds);
    this.entries.delete(id); // re-inserted last: the oldest entry is the first one in the map
    this.entries.set(id, { url, expiresAt: now + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return url;
  }
}
