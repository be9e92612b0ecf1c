import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShrinkLogEntry } from './shrink-log';

/** Where a shrink writes: its log as it goes, then its results. */
export interface ShrinkOutputs {
  readonly dir: string;
  readonly logPath: string;
  appendLog(entry: ShrinkLogEntry): void;
  /** Writes `name` in the directory as indented JSON; returns its path. */
  writeJson(name: string, data: unknown): string;
}

/** Outputs in `dir` (created), starting an empty `shrink-log.jsonl` there. */
export function shrinkOutputsIn(dir: string): ShrinkOutputs {
  mkdirSync(dir, { recursive: true });
  const logPath = join(dir, 'shrink-log.jsonl');
  writeFileSync(logPath, '');
  return {
    dir,
    logPath,
    // Appended per candidate, so a shrink that is interrupted still leaves what it ran.
    appendLog: (entry) => appendFileSync(logPath, `${JSON.stringify(entry)}\n`),
    writeJson: (name, data) => {
      const path = join(dir, name);
      writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
      return path;
    },
  };
}
