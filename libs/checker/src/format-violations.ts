import { INVARIANT_ORDER } from './invariants';
import type { Violation } from './violation';

export interface FormatOptions {
  /** Violations shown per invariant; the rest are counted (default 20). */
  readonly maxPerGroup?: number;
}

/**
 * Violations for a terminal: grouped by invariant (in the invariants' order), each with the ids
 * involved, at most maxPerGroup lines per group followed by how many were left out.
 *
 *   ✗ every-image-ends: 2 violations, 2 ids
 *     - [0b6f…-…] acknowledged upload (attempt 2, after an `info`) stuck in `uploaded` (v1); faults on its requests: …
 */
export function formatViolations(violations: readonly Violation[], options: FormatOptions = {}): string {
  if (violations.length === 0) return '✓ no violations';
  const max = options.maxPerGroup ?? 20;
  const groups = new Map<string, Violation[]>();
  for (const v of violations) groups.set(v.invariant, [...(groups.get(v.invariant) ?? []), v]);
  const names = [...groups.keys()].sort((a, b) => rank(a) - rank(b));
  const lines: string[] = [];
  for (const name of names) {
    const group = groups.get(name)!;
    const ids = new Set(group.flatMap((v) => v.ids));
    lines.push(`✗ ${name}: ${plural(group.length, 'violation')}${ids.size ? `, ${plural(ids.size, 'id')}` : ''}`);
    for (const v of group.slice(0, max)) lines.push(`  - ${v.ids.length ? `[${v.ids.join(', ')}] ` : ''}${v.message}`);
    if (group.length > max) lines.push(`  … and ${group.length - max} more ${name} violation(s)`);
  }
  return lines.join('\n');
}

const rank = (name: string): number => {
  const i = INVARIANT_ORDER.indexOf(name as Violation['invariant']);
  return i < 0 ? INVARIANT_ORDER.length : i;
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
