import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What this process holds open, read from /proc/self/fd (the API runs in the test's process). */
export interface FdSnapshot {
  /** Every open descriptor. */
  readonly total: number;
  /** Descriptors on files under the spool directory, removed or not. */
  readonly spool: number;
  /** Descriptors on files already removed (blocks still allocated until closed), anywhere. */
  readonly deletedButOpen: number;
  /** Files in the spool directory, and their bytes. */
  readonly spoolFiles: number;
  readonly spoolBytes: number;
}

export function fdSnapshot(spoolDir: string): FdSnapshot {
  let total = 0;
  let spool = 0;
  let deletedButOpen = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(join('/proc/self/fd', fd));
    } catch {
      continue; // closed while we looked (the readdir's own descriptor, say)
    }
    total++;
    if (target.startsWith(`${spoolDir}/`)) spool++;
    if (target.endsWith(' (deleted)') && target.startsWith('/')) deletedButOpen++;
  }
  const files = readdirSync(spoolDir);
  const spoolBytes = files.reduce((sum, f) => sum + (statSync(join(spoolDir, f), { throwIfNoEntry: false })?.size ?? 0), 0);
  return { total, spool, deletedButOpen, spoolFiles: files.length, spoolBytes };
}
