import { createHash } from 'node:crypto';
import type { ObjectJudgements } from './object-judgements';
import type { ObjectContentReader } from './object-reader';
import { sharpSepiaComparer, type SepiaComparer } from './sepia-comparer';
import type { StoredItem } from './stored-state';

/**
 * Judges one processed image's objects ahead of the final check, as raw-matches-key and sepia
 * would: its raw object's SHA-256 and whether its processed object is a sepia rendering of it,
 * each recorded under the ETags its bytes were read with. Both objects are read here, so what is
 * recorded is a fact about those bytes, true whenever it is looked up: the final check reuses it
 * only for objects listed with the same ETags. An object read without an ETag, or a read that
 * fails, records nothing (the final check reads it itself). Returns whether anything was recorded.
 */
export async function prejudgeImage(
  item: StoredItem,
  read: ObjectContentReader,
  judgements: ObjectJudgements,
  compare: SepiaComparer = sharpSepiaComparer,
): Promise<boolean> {
  if (item.state !== 'processed' || typeof item.rawS3Key !== 'string' || typeof item.processedS3Key !== 'string') return false;
  const rawKey = item.rawS3Key;
  const processedKey = item.processedS3Key;
  const [raw, processed] = await Promise.all([read(rawKey), read(processedKey)]).catch(() => [undefined, undefined]);
  if (!raw?.etag || !processed?.etag) return false;
  judgements.recordDigest(rawKey, raw.etag, { sha256: createHash('sha256').update(raw.bytes).digest('hex'), size: raw.bytes.length });
  const judged = await compare(raw.bytes, processed.bytes);
  judgements.recordSepia({ key: rawKey, etag: raw.etag }, { key: processedKey, etag: processed.etag }, judged);
  return true;
}
