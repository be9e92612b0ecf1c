import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { BadInputKind, ClientOp, HistoryEntry, NemesisEvent } from './history-entry';

/**
 * The history file (`history.jsonl`): one HistoryEntry per line. Writers append (the workload, the
 * nemesis, on one clock); readers are strict, because the checker must never judge a partial or
 * damaged history as if it were whole:
 * - a last line cut short (the writer died mid-write) is skipped and reported (`truncatedTail`);
 * - any other malformed line — not JSON, an unknown `type`, a missing or mistyped field — is an
 *   error naming the file and the line.
 */

/** Where entries go: a file (HistoryFileWriter) or anything else that collects them (tests, a merger). */
export interface HistorySink {
  append(entry: HistoryEntry): void;
}

export interface HistoryWriterOptions {
  /** Flush once this many characters are buffered. Default 64 KiB. */
  readonly bufferChars?: number;
  /** Flush at least this often, so a crash loses little and a tail -f sees progress. Default 250 ms. */
  readonly flushIntervalMs?: number;
}

/**
 * Appends entries as JSON Lines, buffered: append() is synchronous and cheap (a stringify and a
 * push), writes go out in large chunks, one at a time and in order. close() flushes everything.
 */
export class HistoryFileWriter implements HistorySink {
  private buffer: string[] = [];
  private bufferedChars = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure?: Error;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly bufferChars: number;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    options: HistoryWriterOptions,
  ) {
    this.bufferChars = options.bufferChars ?? 64 * 1024;
    this.timer = setInterval(() => void this.flush().catch(() => undefined), options.flushIntervalMs ?? 250);
    this.timer.unref();
  }

  /** Opens `path` for appending (created if missing). */
  static async open(path: string, options: HistoryWriterOptions = {}): Promise<HistoryFileWriter> {
    return new HistoryFileWriter(path, await open(path, 'a'), options);
  }

  append(entry: HistoryEntry): void {
    if (this.closed) throw new Error(`history ${this.path} is closed`);
    const line = `${JSON.stringify(entry)}\n`;
    this.buffer.push(line);
    this.bufferedChars += line.length;
    if (this.bufferedChars >= this.bufferChars) void this.flush().catch(() => undefined);
  }

  /** Writes out what is buffered; resolves when it (and every earlier write) is on disk's page cache. */
  flush(): Promise<void> {
    if (this.buffer.length > 0) {
      const chunk = this.buffer.join('');
      this.buffer = [];
      this.bufferedChars = 0;
      this.writing = this.writing.then(async () => {
        if (this.failure) return;
        try {
          await this.handle.appendFile(chunk);
        } catch (error) {
          this.failure = error as Error;
        }
      });
    }
    return this.writing.then(() => {
      if (this.failure) throw new Error(`writing history ${this.path}: ${this.failure.message}`);
    });
  }

  /** Flushes and closes; the file is complete when this resolves. */
  async close(): Promise<void> {
    if (this.closed) return this.writing;
    clearInterval(this.timer);
    try {
      await this.flush();
    } finally {
      this.closed = true;
      await this.handle.close();
    }
  }
}

export class HistoryFileError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${path}:${line}: ${reason}`);
    this.name = 'HistoryFileError';
  }
}

export interface HistoryFileContents {
  /** Ordered by time; entries with equal times keep their file order. */
  readonly entries: HistoryEntry[];
  /** Lines read (the cut-short last line included). */
  readonly lines: number;
  /** The last line, when it was cut short (its writer stopped mid-write) and therefore skipped. */
  readonly truncatedTail?: { readonly line: number; readonly text: string };
}

/** Reads a history file strictly (see the top of this file). Streams: histories can be large. */
export async function readHistoryFile(path: string): Promise<HistoryFileContents> {
  const entries: HistoryEntry[] = [];
  let lineNo = 0;
  let rest = '';
  const decoder = new StringDecoder('utf8'); // a chunk may end inside a character
  const take = (text: string) => {
    lineNo++;
    if (text.trim() === '') throw new HistoryFileError(path, lineNo, 'empty line');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new HistoryFileError(path, lineNo, `not JSON (${(error as Error).message})`);
    }
    try {
      entries.push(parseHistoryEntry(value));
    } catch (error) {
      throw new HistoryFileError(path, lineNo, (error as Error).message);
    }
  };
  for await (const chunk of createReadStream(path)) {
    const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) take(line);
  }
  rest += decoder.end();
  let truncatedTail: HistoryFileContents['truncatedTail'];
  if (rest !== '') {
    // no newline after it: the writer may have died mid-line. If it is not even JSON, it was cut
    // short; whole JSON is an entry like any other (and held to the contract like any other).
    if (isJson(rest)) take(rest);
    else truncatedTail = { line: lineNo + 1, text: rest };
  }
  entries.sort((a, b) => a.time - b.time); // Array.prototype.sort is stable
  return { entries, lines: truncatedTail ? truncatedTail.line : lineNo, ...(truncatedTail ? { truncatedTail } : {}) };
}

const CLIENT_OPS: readonly ClientOp[] = ['create', 'upload', 'get'];
const BAD_KINDS: readonly BadInputKind[] = ['not-an-image', 'truncated', 'too-large', 'bad-id'];
const NEMESIS_KINDS: readonly NemesisEvent['kind'][] = ['fis-experiment', 'fis-action', 'instance', 'toxic', 'proxy', 'api-fault'];

/** Checks one parsed line against the contract (history-entry.ts); throws a message saying what is wrong. */
export function parseHistoryEntry(value: unknown): HistoryEntry {
  if (!isObject(value)) throw new Error('not a JSON object');
  const e = value;
  need(typeof e.time === 'number' && Number.isFinite(e.time), 'time must be a number (epoch ms)');
  switch (e.type) {
    case 'invoke':
    case 'ok':
    case 'fail':
    case 'info':
      need(Number.isInteger(e.process), 'process must be an integer');
      need(CLIENT_OPS.includes(e.op as ClientOp), `op must be one of ${CLIENT_OPS.join(', ')}; got ${JSON.stringify(e.op)}`);
      need(typeof e.id === 'string', 'id must be a string');
      need(Number.isInteger(e.attempt) && (e.attempt as number) >= 1, 'attempt must be an integer ≥ 1');
      need(typeof e.requestId === 'string' && e.requestId !== '', 'requestId must be a non-empty string');
      need(e.bad === undefined || BAD_KINDS.includes(e.bad as BadInputKind), `bad must be one of ${BAD_KINDS.join(', ')}`);
      need(e.sha256 === undefined || typeof e.sha256 === 'string', 'sha256 must be a string');
      if (e.type !== 'invoke') {
        need(Number.isInteger(e.status), 'status must be an integer');
        need(e.error === undefined || typeof e.error === 'string', 'error must be a string');
        need(e.version === undefined || typeof e.version === 'number', 'version must be a number');
        need(e.state === undefined || typeof e.state === 'string', 'state must be a string');
      }
      break;
    case 'workload':
      need(e.phase === 'start' || e.phase === 'end', 'phase must be start or end');
      need(e.outcome === undefined || e.outcome === 'completed' || e.outcome === 'aborted', 'outcome must be completed or aborted');
      need(e.options === undefined || isObject(e.options), 'options must be an object');
      break;
    case 'nemesis':
      need(
        isObject(e.event) && NEMESIS_KINDS.includes(e.event.kind as NemesisEvent['kind']),
        `event.kind must be one of ${NEMESIS_KINDS.join(', ')}`,
      );
      break;
    default:
      throw new Error(`unknown entry type ${JSON.stringify(e.type)}`);
  }
  return value as unknown as HistoryEntry;
}

function need(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
