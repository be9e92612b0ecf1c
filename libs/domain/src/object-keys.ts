/**
 * Deterministic object keys: a retried or duplicated step overwrites the same key instead of
 * leaving an orphan (the seed's Date.now() keys did). The raw key also names the content's hash:
 * a retry (same bytes) lands on the same key, while different bytes can never silently replace
 * an upload a worker may already be rendering.
 */
export const RAW_PREFIX = 'upload/';
export const PROCESSED_PREFIX = 'processed/';

export const rawKeyOf = (id: string, contentSha256: string): string => `${RAW_PREFIX}${id}/${contentSha256}`;
export const processedKeyOf = (id: string): string => `${PROCESSED_PREFIX}${id}.jpg`;
