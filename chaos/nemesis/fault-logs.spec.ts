import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultLogTail, readFaultLogs } from './fault-logs';

const line = (time: number, instance: string, call: number) => {
  const event = {
    kind: 'api-fault',
    instance,
    generation: 0,
    service: 'sqs',
    operation: 'SendMessage',
    fault: 'throttle',
    rule: 'r',
    call,
  };
  return `${JSON.stringify({ type: 'nemesis', time, event })}\n`;
};

describe('fault logs', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fault-logs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every instance log in the time range, merged by time', () => {
    writeFileSync(join(dir, 'i-api-1-1.jsonl'), line(10, 'i-api-1-1', 1) + line(30, 'i-api-1-1', 2) + line(99, 'i-api-1-1', 3));
    writeFileSync(join(dir, 'i-worker-1-1.jsonl'), line(5, 'i-worker-1-1', 1) + line(20, 'i-worker-1-1', 2));
    writeFileSync(join(dir, 'notes.txt'), 'not a log');
    const entries = readFaultLogs(dir, { from: 10, to: 50 });
    expect(entries.map((e) => [e.time, e.event.kind === 'api-fault' && e.event.instance])).toEqual([
      [10, 'i-api-1-1'],
      [20, 'i-worker-1-1'],
      [30, 'i-api-1-1'],
    ]);
    expect(readFaultLogs(join(dir, 'absent'))).toEqual([]);
  });

  it('a tail returns only what was appended since, and a half-written line only once it is whole', () => {
    const path = join(dir, 'i-api-1-1.jsonl');
    writeFileSync(path, line(1, 'i-api-1-1', 1));
    const tail = new FaultLogTail(dir);
    expect(tail.poll()).toHaveLength(1);
    const next = line(2, 'i-api-1-1', 2);
    appendFileSync(path, next.slice(0, 20));
    expect(tail.poll()).toEqual([]);
    appendFileSync(path, next.slice(20));
    expect(tail.poll().map((e) => e.time)).toEqual([2]);
    expect(tail.count).toBe(2);
  });
});
