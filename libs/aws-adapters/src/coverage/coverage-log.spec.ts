import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWithRequestContext } from '../request-context';
import { CoverageLogEntry, coverageLogDirOf, coverageLogPathOf, openCoverageLog } from './coverage-log';

describe('the coverage log', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'coverage-log-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives in the coverage folder of the fault-log folder, one file per instance', () => {
    expect(coverageLogPathOf(join(dir, 'worker-1.jsonl'))).toBe(join(coverageLogDirOf(dir), 'worker-1.jsonl'));
    expect(coverageLogDirOf(dir)).toBe(join(dir, 'coverage'));
  });

  it('appends one line per reach, with the instance and the client request it served, at once', () => {
    const path = coverageLogPathOf(join(dir, 'worker-2.jsonl'));
    const log = openCoverageLog(path, { instance: 'worker-2', generation: 1 });
    const before = Date.now();
    log.record({ path: 'stuck-upload-re-enqueued' });
    runWithRequestContext({ requestId: 'req-1', imageId: 'img-1' }, () => log.record({ path: 'message-redelivered', detail: 'receive 2' }));
    // Read before close: each line is on disk as soon as it is recorded (a SIGKILL loses none).
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as CoverageLogEntry);
    log.close();
    log.record({ path: 'visibility-extended' }); // closed: ignored

    expect(lines.map(({ time, ...rest }) => (time >= before && time <= Date.now() ? rest : { time, ...rest }))).toEqual([
      { path: 'stuck-upload-re-enqueued', instance: 'worker-2', generation: 1 },
      {
        path: 'message-redelivered',
        detail: 'receive 2',
        instance: 'worker-2',
        generation: 1,
        requestId: 'req-1',
        imageId: 'img-1',
      },
    ]);
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });
});
