import { hashSeed, seededRandom } from '@imagery/kernel/seeded-random';

/**
 * Everything the workload chooses comes from the project's one PRNG (seededRandom), seeded with
 * (seed, iteration): the same seed makes the same choices for the same iteration, whichever
 * journey slot runs it and whenever. Ids are UUIDv4-shaped and drawn the same way, plus a
 * per-run nonce (`runTag`): the same seed and runTag give the same ids (a replay), another runTag
 * keeps two runs on one platform apart.
 */

/** The random stream of one iteration: choices first, then retry jitter as it is needed. */
export function iterationRandom(seed: number, iteration: number): () => number {
  return seededRandom(hashSeed(seed, `iteration:${iteration}`));
}

/**
 * The retry jitter of one iteration: its own stream, apart from the choices, so a journey replayed
 * from a recording (load/recorded-workload.ts), which draws no choices, still waits as it did.
 */
export function retryRandom(seed: number, iteration: number): () => number {
  return seededRandom(hashSeed(seed, `retry:${iteration}`));
}

/** The default runTag: derived from the seed, so a replay needs nothing else. */
export const defaultRunTag = (seed: number): string => `seed-${seed}`;

/**
 * A UUIDv4-shaped id for `iteration`. The first 32 bits are a bijection of the iteration number
 * (unique within a run for 2³² iterations, whatever the PRNG says), the next 64 come from the
 * iteration's own stream, the last 32 from the run (seed, runTag).
 */
export function journeyId(seed: number, runTag: string, iteration: number): string {
  const run = hashSeed(seed, `run:${runTag}`);
  const random = seededRandom(hashSeed(run, `id:${iteration}`));
  const word = () => Math.floor(random() * 0x1_0000_0000) >>> 0;
  const unique = fmix32((iteration ^ run) >>> 0);
  const b = word();
  const c = word();
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  const h = hex(unique) + hex(((b & 0xffff0fff) | 0x00004000) >>> 0) + hex(((c & 0x3fffffff) | 0x80000000) >>> 0) + hex(run);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** murmur3's finaliser: a bijection on 32-bit integers that spreads the bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One of `list`, uniformly, by `random`. */
export function pick<T>(random: () => number, list: readonly T[]): T {
  if (list.length === 0) throw new Error('nothing to pick from');
  return list[Math.floor(random() * list.length)];
}

/** A pause of 50–100 % of `ceilingMs` (backoff with jitter), from the iteration's stream. */
export const jittered = (random: () => number, ceilingMs: number): number => ceilingMs * (0.5 + 0.5 * random());
