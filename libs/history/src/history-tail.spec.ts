import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryTail } from './history-tail';

describe('HistoryTail (following a history file while it is written)', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'tail-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const start = JSON.stringify({ type: 'workload', time: 1, phase: 'start' });
  const invoke = JSON.stringify({ type: 'invoke', time: 2, process: 1, op: 'create', id: 'a', attempt: 1, requestId: 'r1' });

  it('reads nothing before the file exists, then only what was appended, keeping a half-written line for later', async () => {
    const path = join(dir, 'workload.jsonl');
    const tail = new HistoryTail(path);
    expect(await tail.read()).toEqual([]);
    await appendFile(path, `${start}\n${invoke.slice(0, 20)}`);
    expect((await tail.read()).map((e) => e.type)).toEqual(['workload']);
    expect(await tail.read()).toEqual([]);
    await appendFile(path, `${invoke.slice(20)}\n`);
    expect((await tail.read()).map((e) => e.type)).toEqual(['invoke']);
    expect(tail.entries.map((e) => e.time)).toEqual([1, 2]);
  });

  it('names the file and line of an entry that breaks the contract', async () => {
    const path = join(dir, 'workload.jsonl');
    await appendFile(path, `${start}\n{"type":"nope","time":3}\n`);
    await expect(new HistoryTail(path).read()).rejects.toThrow(/workload\.jsonl:2: unknown entry type "nope"/);
  });
});
