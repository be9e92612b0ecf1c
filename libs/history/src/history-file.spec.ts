import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEntry } from './history-entry';
import { HistoryFileError, HistoryFileWriter, readHistoryFile } from './history-file';

const invoke = (time: number, requestId: string): HistoryEntry => ({
  type: 'invoke',
  time,
  process: 1,
  op: 'create',
  id: 'a',
  attempt: 1,
  requestId,
});
const ok = (time: number, requestId: string): HistoryEntry => ({
  type: 'ok',
  time,
  process: 1,
  op: 'create',
  id: 'a',
  attempt: 1,
  requestId,
  status: 201,
  version: 1,
  state: 'created',
});

describe('history file (JSON Lines)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'history-file-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('round trip: what the writer appends the reader gives back, ordered by time, stable among equal times', async () => {
    const path = join(dir, 'round-trip.jsonl');
    const writer = await HistoryFileWriter.open(path, { bufferChars: 200 }); // small buffer: several flushes
    const written: HistoryEntry[] = [
      { type: 'workload', time: 10, phase: 'start', options: { seed: 3, rate: 5 } },
      invoke(30, 'r2'),
      invoke(20, 'r1'),
      ok(30, 'r1'),
      { type: 'nemesis', time: 25, event: { kind: 'proxy', phase: 'disabled', proxy: 'dynamodb' } },
      {
        type: 'info',
        time: 40,
        process: 1,
        op: 'upload',
        id: 'a',
        attempt: 2,
        requestId: 'r3',
        status: 0,
        error: 'timeout',
        sha256: 'ab',
        bad: 'truncated',
      },
      { type: 'workload', time: 50, phase: 'end', outcome: 'completed' },
    ];
    for (const entry of written) writer.append(entry);
    await writer.close();
    const read = await readHistoryFile(path);
    expect(read.truncatedTail).toBeUndefined();
    expect(read.lines).toBe(written.length);
    // r2's invoke (time 30) was written before r1's ok (time 30): equal times keep file order
    expect(read.entries).toEqual([written[0], written[2], written[4], written[1], written[3], written[5], written[6]]);
    expect(() => writer.append(invoke(60, 'late'))).toThrow(/closed/);
  });

  it('keeps up with thousands of entries a second and loses none', async () => {
    const path = join(dir, 'many.jsonl');
    const writer = await HistoryFileWriter.open(path);
    const n = 50_000;
    const started = Date.now();
    for (let i = 0; i < n; i++) writer.append(invoke(i, `r${i}`));
    await writer.close();
    const ms = Date.now() - started;
    expect(ms).toBeLessThan(5_000); // 10 000 entries/s at the very least, even on a busy machine
    const read = await readHistoryFile(path);
    expect(read.entries).toHaveLength(n);
    expect(read.entries[n - 1]).toEqual(invoke(n - 1, `r${n - 1}`));
  });

  it('a last line cut short is skipped and reported; everything before it is read', async () => {
    const path = join(dir, 'cut.jsonl');
    const whole = `${JSON.stringify(invoke(1, 'r1'))}\n${JSON.stringify(ok(2, 'r1'))}\n`;
    const cut = JSON.stringify(invoke(3, 'r2')).slice(0, 40);
    await writeFile(path, whole + cut);
    const read = await readHistoryFile(path);
    expect(read.entries).toEqual([invoke(1, 'r1'), ok(2, 'r1')]);
    expect(read.truncatedTail).toEqual({ line: 3, text: cut });
    expect(read.lines).toBe(3);
  });

  it('a last line without its newline but whole is read as an entry', async () => {
    const path = join(dir, 'no-newline.jsonl');
    await writeFile(path, `${JSON.stringify(invoke(1, 'r1'))}\n${JSON.stringify(ok(2, 'r1'))}`);
    const read = await readHistoryFile(path);
    expect(read.entries).toHaveLength(2);
    expect(read.truncatedTail).toBeUndefined();
  });

  it('a malformed line in the middle is an error naming the file and the line', async () => {
    const path = join(dir, 'broken.jsonl');
    await writeFile(path, `${JSON.stringify(invoke(1, 'r1'))}\n{"type":"ok","ti\n${JSON.stringify(ok(2, 'r1'))}\n`);
    await expect(readHistoryFile(path)).rejects.toThrow(HistoryFileError);
    await expect(readHistoryFile(path)).rejects.toThrow(`${path}:2: not JSON`);
  });

  it('an unknown type, a missing field, a blank line are errors with their line', async () => {
    const cases: Array<[string, RegExp]> = [
      [`${JSON.stringify({ ...invoke(1, 'r'), type: 'maybe' })}\n`, /:1: unknown entry type "maybe"/],
      [`${JSON.stringify(invoke(1, 'r'))}\n${JSON.stringify({ ...ok(2, 'r'), status: undefined })}\n`, /:2: status must be an integer/],
      [`${JSON.stringify({ ...invoke(1, 'r'), op: 'delete' })}\n`, /:1: op must be one of/],
      [`${JSON.stringify({ ...invoke(1, 'r'), bad: 'rude' })}\n`, /:1: bad must be one of/],
      [`${JSON.stringify({ type: 'nemesis', time: 1, event: { kind: 'meteor' } })}\n`, /:1: event\.kind must be one of/],
      [`${JSON.stringify({ type: 'workload', time: 1, phase: 'end', outcome: 'exploded' })}\n`, /:1: outcome must be/],
      [`${JSON.stringify(invoke(1, 'r'))}\n\n${JSON.stringify(invoke(2, 'r'))}\n`, /:2: empty line/],
      // a cut-short JSON is forgiven only as the very last line; a whole last line is held to the contract
      [`${JSON.stringify(invoke(1, 'r'))}\n${JSON.stringify({ type: 'later', time: 2 })}`, /:2: unknown entry type/],
    ];
    for (const [index, [text, error]] of cases.entries()) {
      const path = join(dir, `bad-${index}.jsonl`);
      await writeFile(path, text);
      await expect(readHistoryFile(path)).rejects.toThrow(error);
    }
  });

  it('appends to an existing file (the nemesis and the workload may open it in turn)', async () => {
    const path = join(dir, 'append.jsonl');
    await appendFile(path, `${JSON.stringify(invoke(1, 'r1'))}\n`);
    const writer = await HistoryFileWriter.open(path);
    writer.append(ok(2, 'r1'));
    await writer.flush();
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(3);
    await writer.close();
    expect((await readHistoryFile(path)).entries).toEqual([invoke(1, 'r1'), ok(2, 'r1')]);
  });
});
