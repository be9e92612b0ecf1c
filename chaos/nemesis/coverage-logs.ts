import { type CoverageLogEntry, coverageLogDirOf } from '@imagery/aws-adapters';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every recovery path the instances took in [from, to], read from their coverage logs (one
 * `<instance id>.jsonl` each, appended by the instance itself, so a killed instance's reaches are
 * there too) in the fault-log folder the fleet gives them. A line still being written is left out.
 */
export function readCoverageLogs(faultLogDir: string, range: { readonly from: number; readonly to: number }): CoverageLogEntry[] {
  const dir = coverageLogDirOf(faultLogDir);
  if (!existsSync(dir)) return [];
  const entries: CoverageLogEntry[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
      if (!line) continue;
      const entry = JSON.parse(line) as CoverageLogEntry;
      if (entry.time >= range.from && entry.time <= range.to) entries.push(entry);
    }
  }
  return entries.sort((a, b) => a.time - b.time);
}
