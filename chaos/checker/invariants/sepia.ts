import { seededRandom } from '@imagery/aws-adapters';
import { compareSepia } from '@imagery/image-filter';
import type { FinalState, StoredItem } from '../final-state';
import type { ObjectReader } from '../object-reader';
import type { Violation } from '../violation';

export interface SepiaOptions {
  /** How many processed items to check (0 = none). */
  readonly sample: number;
  /** Picks the sample; the same seed picks the same items. */
  readonly seed: number;
  readonly readObject: ObjectReader;
  /** Items checked at once (downloads + decoding); default 4. */
  readonly concurrency?: number;
}

type Checkable = StoredItem & { rawS3Key: string; processedS3Key: string };

/**
 * The processed items the sepia check looks at: a seeded sample of those whose raw and processed
 * objects both exist (a missing object is nothing-lost's to report), in a stable order.
 */
export function sepiaSample(state: FinalState, size: number, seed: number): Checkable[] {
  const keys = new Set(state.objects.map((o) => o.key));
  const candidates = state.items
    .filter((i): i is Checkable => i.state === 'processed' && !!i.rawS3Key && !!i.processedS3Key)
    .filter((i) => keys.has(i.rawS3Key) && keys.has(i.processedS3Key))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const random = seededRandom(seed);
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
  }
  return candidates.slice(0, Math.max(0, size));
}

/**
 * Every processed object is a sepia rendering of its upload — checked on a sample, by pixel
 * relationships (compareSepia: each pixel near the sepia matrix applied to the original's, and
 * R >= G >= B), downloading both objects.
 */
export async function checkSepia(state: FinalState, options: SepiaOptions): Promise<Violation[]> {
  const sample = sepiaSample(state, options.sample, options.seed);
  const violations: Violation[] = [];
  let next = 0;
  const worker = async () => {
    while (next < sample.length) {
      const item = sample[next++];
      const violation = await checkOne(item, options.readObject);
      if (violation) violations.push(violation);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return violations.sort((a, b) => (a.ids[0] < b.ids[0] ? -1 : 1));
}

async function checkOne(item: Checkable, readObject: ObjectReader): Promise<Violation | undefined> {
  const fail = (message: string): Violation => ({ invariant: 'sepia', ids: [item.id], message });
  let raw: Buffer;
  let processed: Buffer;
  try {
    [raw, processed] = await Promise.all([readObject(item.rawS3Key), readObject(item.processedS3Key)]);
  } catch (err) {
    return fail(`could not read ${item.rawS3Key} or ${item.processedS3Key}: ${(err as Error).message}`);
  }
  try {
    const c = await compareSepia(raw, processed);
    if (c.ok) return undefined;
    const why = [
      ...(c.sameAspect ? [] : ['a different aspect ratio']),
      `mean error ${c.meanError.toFixed(1)} (limit 12)`,
      `${(c.orderViolations * 100).toFixed(1)}% of pixels break R >= G >= B (limit 2%)`,
    ];
    return fail(`${item.processedS3Key} is not a sepia rendering of ${item.rawS3Key}: ${why.join(', ')}`);
  } catch (err) {
    return fail(`${item.processedS3Key} or ${item.rawS3Key} is not a decodable image: ${(err as Error).message}`);
  }
}
