import type { Reach, RecoveryPath } from '@imagery/domain';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { currentRequestContext } from '../request-context';
import type { FaultLogIdentity } from '../faults/fault-log';

/** One line of an instance's coverage log: a recovery path it took, when, and for which client request. */
export interface CoverageLogEntry {
  readonly time: number;
  readonly path: RecoveryPath;
  readonly detail?: string;
  readonly instance: string;
  readonly generation: number;
  readonly requestId?: string;
  readonly imageId?: string;
}

/**
 * The coverage logs live in a `coverage/` folder inside the fault-log folder: the fleet already
 * gives every instance its fault-log path, and the runner already knows that folder, so neither
 * needs another setting; a subfolder keeps these lines out of the fault-log reader's `*.jsonl`.
 */
export const coverageLogDirOf = (faultLogDir: string): string => join(faultLogDir, 'coverage');
export const coverageLogPathOf = (faultLogPath: string): string => join(coverageLogDirOf(dirname(faultLogPath)), basename(faultLogPath));

export interface CoverageLog {
  record(reach: Reach): void;
  close(): void;
}

/**
 * The instance's coverage log (JSON Lines, append-only). Each reach is one synchronous append, as
 * in the fault log: a SIGKILLed instance's reaches are on disk up to its last instruction, where a
 * metrics endpoint's counters would die with it. Reaches are rare (recovery branches), so the
 * write costs nothing measurable. A write that fails is reported on stderr and dropped.
 */
export function openCoverageLog(path: string, identity: FaultLogIdentity): CoverageLog {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  let open = true;
  return {
    record(reach) {
      if (!open) return;
      const context = currentRequestContext();
      const entry: CoverageLogEntry = {
        time: Date.now(),
        ...reach,
        ...identity,
        ...(context ? { requestId: context.requestId } : {}),
        ...(context?.imageId !== undefined ? { imageId: context.imageId } : {}),
      };
      try {
        writeSync(fd, `${JSON.stringify(entry)}\n`);
      } catch (err) {
        process.stderr.write(`coverage log ${path}: ${(err as Error).message}\n`);
      }
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
