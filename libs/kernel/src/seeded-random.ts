/** mulberry32: a tiny, well-known PRNG; the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit hash (FNV-1a), so each rule draws from its own stream derived from the seed. */
export function hashSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * The fault seed of one launch of a fleet slot: derived from the run's seed, the slot and its
 * generation, so a replacement does not replay its predecessor's faults, and the same run seed
 * gives every (slot, generation) the same faults again.
 */
export function instanceSeed(seed: number, slot: string, generation: number): number {
  return hashSeed(seed, `${slot}#${generation}`);
}
