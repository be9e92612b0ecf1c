/**
 * FIS's selection modes: `ALL`, `COUNT(n)` (n at random) and `PERCENT(n)` (n % at random,
 * rounded down but at least one). Random choices come from the experiment's seeded generator,
 * so the same seed picks the same instances.
 */
export type SelectionMode = { kind: 'ALL' } | { kind: 'COUNT'; n: number } | { kind: 'PERCENT'; n: number };

export function parseSelectionMode(text: string): SelectionMode | undefined {
  if (text === 'ALL') return { kind: 'ALL' };
  const match = /^(COUNT|PERCENT)\((\d+)\)$/.exec(text);
  if (!match) return undefined;
  const n = Number(match[2]);
  if (n < 1 || (match[1] === 'PERCENT' && n > 100)) return undefined;
  return { kind: match[1] as 'COUNT' | 'PERCENT', n };
}

export function selectResources<T>(candidates: readonly T[], mode: SelectionMode, random: () => number): T[] {
  if (mode.kind === 'ALL') return [...candidates];
  const wanted = mode.kind === 'COUNT' ? mode.n : Math.max(1, Math.floor((candidates.length * mode.n) / 100));
  // A partial Fisher-Yates shuffle: the first `wanted` slots are a uniform sample, in order of the seed.
  const pool = [...candidates];
  const count = Math.min(wanted, pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}
