import { coverageLogPathOf, openCoverageLog } from '@imagery/aws-adapters';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCoverageLogs } from './coverage-logs';

describe('readCoverageLogs', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fault-logs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads every instance's reaches in the run's window, in time order, leaving out a line still being written", () => {
    const worker = openCoverageLog(coverageLogPathOf(join(dir, 'worker-1.jsonl')), { instance: 'worker-1', generation: 0 });
    const api = openCoverageLog(coverageLogPathOf(join(dir, 'api-1.jsonl')), { instance: 'api-1', generation: 2 });
    const from = Date.now();
    worker.record({ path: 'stuck-upload-re-enqueued' });
    api.record({ path: 'upload-retry-found-uploaded' });
    worker.record({ path: 'message-redelivered', detail: 'receive 2' });
    worker.close();
    api.close();
    const to = Date.now();
    appendFileSync(coverageLogPathOf(join(dir, 'api-1.jsonl')), `{"time":${to},"path":"visibility-ext`); // a killed instance's cut line
    appendFileSync(
      coverageLogPathOf(join(dir, 'worker-1.jsonl')),
      `${JSON.stringify({ time: to + 60_000, path: 'repair-claim-lost', instance: 'worker-1', generation: 0 })}\n`,
    ); // after the run

    const entries = readCoverageLogs(dir, { from, to });
    expect(entries.map((e) => [e.path, e.instance])).toEqual(
      expect.arrayContaining([
        ['stuck-upload-re-enqueued', 'worker-1'],
        ['upload-retry-found-uploaded', 'api-1'],
        ['message-redelivered', 'worker-1'],
      ]),
    );
    expect(entries).toHaveLength(3);
    expect(entries.map((e) => e.time)).toEqual([...entries.map((e) => e.time)].sort((a, b) => a - b));
  });

  it('finds nothing where no instance logged coverage', () => {
    expect(readCoverageLogs(dir, { from: 0, to: Date.now() })).toEqual([]);
    expect(readCoverageLogs(join(dir, 'absent'), { from: 0, to: Date.now() })).toEqual([]);
  });
});
