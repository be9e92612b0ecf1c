import { seededRandom } from '@imagery/kernel/seeded-random';
import type { FinalState, StoredItem } from '../stored-state';
import { mapLimited } from '../map-limited';
import { sharpSepiaComparer } from '../sepia-comparer';
import type { Invariant, InvariantOptions, Violation } from '../violation';

type Checkable = StoredItem & { rawS3Key: string; processedS3Key: string };

/**
 * The processed images the sepia check compares: every processed item whose raw and processed
 * objects both exist (a missing object is objects-exist's to report), sorted by id — or, only when
 * options.sepiaSample asks for it, a seeded sample of them.
 */
export function sepiaTargets(state: FinalState, options: InvariantOptions): Checkable[] {
  const keys = new Set(state.objects.map((o) => o.key));
  const all = state.items
    .filter((i): i is Checkable => i.state === 'processed' && !!i.rawS3Key && !!i.processedS3Key)
    .filter((i) => keys.has(i.rawS3Key) && keys.has(i.processedS3Key))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const sample = options.sepiaSample;
  if (!sample) return all;
  const random = seededRandom(sample.seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, Math.max(0, sample.size));
}

/**
 * Every processed object is a sepia rendering of its raw object: both are downloaded and compared
 * (options.compareSepia; the real pixel comparison by default), a bounded number at a time.
 * Needs options.readObject; skipped without it (the stats say how many were compared).
 */
export const sepia: Invariant = async ({ state, options }) => {
  const { readObject } = options;
  if (!readObject) return [];
  const compare = options.compareSepia ?? sharpSepiaComparer;
  const objects = new Map(state.objects.map((o) => [o.key, o]));
  const results = await mapLimited(sepiaTargets(state, options), options.concurrency ?? 4, async (item): Promise<Violation | undefined> => {
    const fail = (message: string): Violation => ({ invariant: 'sepia', ids: [item.id], message });
    const known = options.judgements?.sepiaOf(objects.get(item.rawS3Key), objects.get(item.processedS3Key));
    if (known) return known.ok ? undefined : fail(notSepia(item, known.why));
    let raw: Buffer;
    let processed: Buffer;
    try {
      [raw, processed] = await Promise.all([readObject(item.rawS3Key), readObject(item.processedS3Key)]);
    } catch (err) {
      return fail(`could not read ${item.rawS3Key} or ${item.processedS3Key}: ${(err as Error).message}`);
    }
    const c = await compare(raw, processed);
    return c.ok ? undefined : fail(notSepia(item, c.why));
  });
  return results.filter((v): v is Violation => v !== undefined);
};

const notSepia = (item: Checkable, why?: string) =>
  `${item.processedS3Key} is not a sepia rendering of ${item.rawS3Key}: ${why ?? 'it differs'}`;
