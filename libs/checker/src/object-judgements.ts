import type { StoredObject } from './stored-state';

/** What raw-matches-key needs of a raw object's bytes: their SHA-256 and length. */
export interface RawDigest {
  readonly sha256: string;
  readonly size: number;
}

/** The sepia check's answer for one processed object against one raw object. */
export interface SepiaJudgement {
  readonly ok: boolean;
  readonly why?: string;
}

/**
 * What the checker already concluded about objects' bytes, keyed by the bytes' identity: the key
 * and the ETag the store gave with the bytes read. The final check looks an object up by the key
 * and ETag of its final listing, so an object rewritten since (another ETag) is read and judged
 * again; only the same stored bytes reuse a judgement. An object without an ETag is never looked up.
 * Filled while the load runs (prejudge-objects.ts), so the final check reads only what is new.
 */
export class ObjectJudgements {
  private readonly digests = new Map<string, RawDigest>();
  private readonly sepias = new Map<string, SepiaJudgement>();

  recordDigest(key: string, etag: string, digest: RawDigest): void {
    this.digests.set(contentId(key, etag), digest);
  }

  recordSepia(raw: { key: string; etag: string }, processed: { key: string; etag: string }, judgement: SepiaJudgement): void {
    this.sepias.set(`${contentId(raw.key, raw.etag)}\n${contentId(processed.key, processed.etag)}`, judgement);
  }

  /** The digest of `object`'s bytes, if those very bytes (same ETag) were read before. */
  digestOf(object: StoredObject | undefined): RawDigest | undefined {
    return object?.etag ? this.digests.get(contentId(object.key, object.etag)) : undefined;
  }

  /** The sepia answer for these two objects, if these very bytes (same ETags) were compared before. */
  sepiaOf(raw: StoredObject | undefined, processed: StoredObject | undefined): SepiaJudgement | undefined {
    if (!raw?.etag || !processed?.etag) return undefined;
    return this.sepias.get(`${contentId(raw.key, raw.etag)}\n${contentId(processed.key, processed.etag)}`);
  }

  get size(): { readonly digests: number; readonly sepias: number } {
    return { digests: this.digests.size, sepias: this.sepias.size };
  }
}

/** ListObjectsV2 and GetObject quote ETags alike, but not every store does: compared unquoted. */
const contentId = (key: string, etag: string) => `${key}\n${etag.replace(/"/g, '')}`;
