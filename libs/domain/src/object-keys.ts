/**
 * Deterministic object keys: a retried or duplicated step overwrites the same key
 * instead of leaving an orphan (the seed's Date.now() keys did).
 */
export const RAW_PREFIX = 'upload/';
export const PROCESSED_PREFIX = 'processed/';

export const rawKeyOf = (id: string): string => `${RAW_PREFIX}${id}`;
export const processedKeyOf = (id: string): string => `${PROCESSED_PREFIX}${id}.jpg`;
