import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { HistoryEntry } from './history-entry';
import { HistoryFileError, parseHistoryEntry } from './history-file';

/**
 * Follows a history file while its writer appends to it (`tail -f`): each `read()` parses only the
 * whole lines added since the last one, and keeps a line still being written for the next. The
 * runner's streaming check reads the workload's history this way every pass, so a pass costs
 * what was appended, not the whole file again. Lines are held to the same contract as
 * readHistoryFile's; a file not there yet reads as empty.
 */
export class HistoryTail {
  private offset = 0;
  private lineNo = 0;
  private rest = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly all: HistoryEntry[] = [];

  constructor(readonly path: string) {}

  /** Every entry so far, in file order (a new array each time something was added). */
  get entries(): readonly HistoryEntry[] {
    return this.all;
  }

  /** Reads what was appended; resolves with the entries added by this call. */
  async read(): Promise<HistoryEntry[]> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const added: HistoryEntry[] = [];
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        const lines = (this.rest + this.decoder.write(buffer.subarray(0, bytesRead))).split('\n');
        this.rest = lines.pop() ?? '';
        for (const line of lines) added.push(this.parse(line));
      }
    } finally {
      await handle.close();
    }
    this.all.push(...added);
    return added;
  }

  private parse(text: string): HistoryEntry {
    this.lineNo++;
    try {
      return parseHistoryEntry(JSON.parse(text));
    } catch (error) {
      throw new HistoryFileError(this.path, this.lineNo, (error as Error).message);
    }
  }
}
