import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BadInputKind, HISTORY_METRIC, HistoryEvent, HistoryOp } from './history-event';

/**
 * Reads the history back from k6's JSON output (`k6 run --out json=<file>`, optionally `.gz`):
 * one JSON object per line, of which only the `Point` samples of the `imagery_history` metric
 * matter. The file can be large (every HTTP metric of the run is in it), so it is streamed line
 * by line and other lines are skipped without being parsed.
 *
 * Malformed input: k6 killed mid-write can leave the *last* line cut short; that line is skipped
 * and reported (`truncatedTail`). Anything else malformed — a broken line in the middle, a history
 * sample whose tags do not make an event — is an error naming the file and line: the checker must
 * not silently judge a partial history.
 */
export class HistoryFormatError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${path}:${line}: ${reason}`);
    this.name = 'HistoryFormatError';
  }
}

export interface HistoryReadResult {
  /** The events, ordered by start time (then end time; file order among equals). */
  readonly events: HistoryEvent[];
  /** Lines read, history or not. */
  readonly lines: number;
  /** The last line, when it was cut short (k6 stopped mid-write) and therefore skipped. */
  readonly truncatedTail?: { readonly line: number; readonly text: string };
}

/** The history events of a k6 JSON output file. */
export async function loadHistory(jsonOutputPath: string): Promise<HistoryEvent[]> {
  return (await readHistory(jsonOutputPath)).events;
}

/** loadHistory, with what was read and skipped. */
export async function readHistory(jsonOutputPath: string): Promise<HistoryReadResult> {
  const events: HistoryEvent[] = [];
  let lines = 0;
  let pendingBad: { line: number; text: string; reason: string } | undefined;
  for await (const text of readLines(jsonOutputPath)) {
    lines++;
    if (text.trim() === '') continue;
    if (pendingBad) throw new HistoryFormatError(jsonOutputPath, pendingBad.line, pendingBad.reason);
    if (!isHistoryCandidate(text)) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // fatal unless it turns out to be the last line
      pendingBad = { line: lines, text, reason: `not JSON (${(error as Error).message})` };
      continue;
    }
    try {
      const event = historyEventOf(parsed);
      if (event) events.push(event);
    } catch (error) {
      throw new HistoryFormatError(jsonOutputPath, lines, (error as Error).message);
    }
  }
  events.sort((a, b) => a.start - b.start || a.end - b.end); // stable: ties keep file order
  return { events, lines, ...(pendingBad ? { truncatedTail: { line: pendingBad.line, text: pendingBad.text } } : {}) };
}

/** A cheap test that lets the reader skip the (many) lines of other metrics without parsing them. */
export const isHistoryCandidate = (line: string): boolean => line.includes(`"${HISTORY_METRIC}"`);

/**
 * The event a parsed k6 JSON line holds, or undefined if it is not an `imagery_history` Point
 * (metric declarations, other metrics). Throws if it is one but its tags do not make an event.
 * load/imagery.js writes the few-valued fields as tags and the per-request ones (start, end, id, vu,
 * iteration) as the sample's `metadata` (k6 does not index metadata, so it costs no memory per
 * distinct value); either place is accepted, tags win. Everything is a string in k6's output;
 * numbers are converted back here.
 */
export function historyEventOf(sample: unknown): HistoryEvent | undefined {
  if (!isObject(sample) || sample.type !== 'Point' || sample.metric !== HISTORY_METRIC) return undefined;
  const data = sample.data;
  if (!isObject(data)) throw new Error('an imagery_history point without data');
  const fields: Record<string, unknown> = { ...(isObject(data.metadata) ? data.metadata : {}), ...(isObject(data.tags) ? data.tags : {}) };

  const start = integerField(fields, 'start');
  const end = integerField(fields, 'end');
  if (end < start) throw new Error(`end (${end}) before start (${start})`);
  const op = fields.op;
  if (!isOp(op)) throw new Error(`op must be one of ${OPS.join(', ')}; got ${JSON.stringify(op)}`);
  const id = fields.id;
  if (typeof id !== 'string') throw new Error(`id must be a string; got ${JSON.stringify(id)}`);
  const status = integerField(fields, 'status');
  if (status !== 0 && (status < 100 || status > 599)) throw new Error(`status must be 0 (network error) or an HTTP status; got ${status}`);
  const attempt = integerField(fields, 'attempt');
  if (attempt < 1) throw new Error(`attempt must be >= 1; got ${attempt}`);

  const event: { -readonly [K in keyof HistoryEvent]: HistoryEvent[K] } = { start, end, op, id, status, attempt };
  if (present(fields.version)) event.version = integerField(fields, 'version');
  if (present(fields.state)) event.state = stringField(fields, 'state');
  if (present(fields.sha256)) {
    const sha256 = stringField(fields, 'sha256');
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`sha256 must be 64 lowercase hex digits; got ${JSON.stringify(sha256)}`);
    event.sha256 = sha256;
  }
  if (present(fields.bad)) {
    const bad = fields.bad;
    if (!isBadKind(bad)) throw new Error(`bad must be one of ${BAD_KINDS.join(', ')}; got ${JSON.stringify(bad)}`);
    event.bad = bad;
  }
  if (present(fields.vu)) event.vu = integerField(fields, 'vu');
  if (present(fields.iteration)) event.iteration = integerField(fields, 'iteration');
  return event;
}

function readLines(path: string): AsyncIterable<string> {
  const file = createReadStream(path);
  const input: Readable = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  if (input !== file) file.on('error', (error) => input.destroy(error));
  return createInterface({ input, crlfDelay: Infinity });
}

const OPS: readonly HistoryOp[] = ['create', 'upload', 'get'];
const BAD_KINDS: readonly BadInputKind[] = ['not-an-image', 'truncated', 'too-large', 'bad-id'];
const isOp = (v: unknown): v is HistoryOp => OPS.includes(v as HistoryOp);
const isBadKind = (v: unknown): v is BadInputKind => BAD_KINDS.includes(v as BadInputKind);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (v: unknown) => v !== undefined && v !== null && v !== '';

function integerField(fields: Record<string, unknown>, name: string): number {
  const raw = fields[name];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer; got ${JSON.stringify(raw)}`);
  return value;
}

function stringField(fields: Record<string, unknown>, name: string): string {
  const raw = fields[name];
  if (typeof raw !== 'string') throw new Error(`${name} must be a string; got ${JSON.stringify(raw)}`);
  return raw;
}
