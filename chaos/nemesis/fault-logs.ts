import type { FaultLogEntry } from '@imagery/aws-adapters';
import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { NemesisEntry } from '@imagery/history/history-entry';

/** An instance's fault-log line is a history `nemesis` entry as it is (checked here by the compiler). */
const asHistoryEntry = (entry: FaultLogEntry): NemesisEntry => entry;

/**
 * Follows the fault logs of every instance in `dir` (`<instance id>.jsonl`, appended by the
 * instances themselves): each `poll` returns the entries appended since the last one. Only whole
 * lines are read; a line still being written is read next time.
 */
export class FaultLogTail {
  private readonly offsets = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly dir: string,
    private readonly range: { readonly from?: number; readonly to?: number } = {},
  ) {}

  /** How many entries in the range the polls have returned so far. */
  get count(): number {
    return this.total;
  }

  poll(): NemesisEntry[] {
    if (!existsSync(this.dir)) return [];
    const found: NemesisEntry[] = [];
    for (const file of readdirSync(this.dir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()) {
      const path = join(this.dir, file);
      const offset = this.offsets.get(path) ?? 0;
      const size = statSync(path).size;
      if (size <= offset) continue;
      const text = readRange(path, offset, size);
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      this.offsets.set(path, offset + Buffer.byteLength(complete));
      for (const line of complete.split('\n')) {
        if (!line) continue;
        const entry = asHistoryEntry(JSON.parse(line) as FaultLogEntry);
        if (
          (this.range.from === undefined || entry.time >= this.range.from) &&
          (this.range.to === undefined || entry.time <= this.range.to)
        )
          found.push(entry);
      }
    }
    this.total += found.length;
    return found.sort((a, b) => a.time - b.time);
  }
}

/** Every fault the instances logged in [from, to], in time order. */
export function readFaultLogs(dir: string, range: { readonly from?: number; readonly to?: number } = {}): NemesisEntry[] {
  return new FaultLogTail(dir, range).poll();
}

function readRange(path: string, start: number, end: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
