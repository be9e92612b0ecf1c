import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HistoryFormatError, historyEventOf, loadHistory, readHistory } from './load-history';

/** What `k6 run --out json=<file>` writes: metric declarations and points of every metric, one JSON object a line. */
const ID = '3f1c2b9e-8a7d-4c6b-9e5f-1a2b3c4d5e6f';
const SHA = 'a'.repeat(64);
const K6_OUTPUT = [
  '{"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}',
  '{"metric":"http_reqs","type":"Point","data":{"time":"2026-01-01T00:00:00.1Z","value":1,"tags":{"method":"PUT","name":"PUT /image/:id","status":"503"}}}',
  '{"type":"Metric","data":{"name":"imagery_history","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"imagery_history"}',
  // as load/imagery.js writes them: few-valued fields as tags, per-request ones as metadata;
  // out of order on purpose: k6 flushes VUs' samples in batches
  `{"metric":"imagery_history","type":"Point","data":{"time":"2026-01-01T00:00:00.3Z","value":40,"tags":{"attempt":"1","group":"","op":"upload","scenario":"steady","sha256":"${SHA}","state":"uploaded","status":"200","version":"1"},"metadata":{"end":"1767225600340","id":"${ID}","iteration":"7","start":"1767225600300","vu":"3"}}}`,
  `{"metric":"imagery_history","type":"Point","data":{"time":"2026-01-01T00:00:00.1Z","value":5,"tags":{"attempt":"1","group":"","op":"create","scenario":"steady","status":"503"},"metadata":{"end":"1767225600105","id":"${ID}","iteration":"7","start":"1767225600100","vu":"3"}}}`,
  `{"metric":"imagery_history","type":"Point","data":{"time":"2026-01-01T00:00:00.2Z","value":3,"tags":{"attempt":"2","group":"","op":"create","scenario":"steady","state":"created","status":"201","version":"0"},"metadata":{"end":"1767225600203","id":"${ID}","iteration":"7","start":"1767225600200","vu":"3"}}}`,
  '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-01-01T00:00:00.2Z","value":3,"tags":{"status":"201"}}}',
  // every field a tag (HISTORY_AS_TAGS=true)
  `{"metric":"imagery_history","type":"Point","data":{"time":"2026-01-01T00:00:00.5Z","value":2,"tags":{"attempt":"1","bad":"bad-id","end":"1767225600502","id":"not-a-uuid","iteration":"8","op":"create","start":"1767225600500","status":"400","vu":"1"}}}`,
  `{"metric":"imagery_history","type":"Point","data":{"time":"2026-01-01T00:00:00.6Z","value":1000,"tags":{"attempt":"1","end":"1767225601600","id":"${ID}","op":"get","start":"1767225600600","status":"0"}}}`,
];

describe('loadHistory (k6 JSON output → history events)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imagery-history-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const file = async (name: string, lines: string[], trailingNewline = true) => {
    const path = join(dir, name);
    await writeFile(path, lines.join('\n') + (trailingNewline ? '\n' : ''));
    return path;
  };

  it('keeps only imagery_history points, with typed fields, ordered by start', async () => {
    const events = await loadHistory(await file('k6.json', K6_OUTPUT));
    expect(events).toEqual([
      { start: 1767225600100, end: 1767225600105, op: 'create', id: ID, status: 503, attempt: 1, vu: 3, iteration: 7 },
      { start: 1767225600200, end: 1767225600203, op: 'create', id: ID, status: 201, attempt: 2, version: 0, state: 'created', vu: 3, iteration: 7 },
      { start: 1767225600300, end: 1767225600340, op: 'upload', id: ID, status: 200, attempt: 1, version: 1, state: 'uploaded', sha256: SHA, vu: 3, iteration: 7 },
      { start: 1767225600500, end: 1767225600502, op: 'create', id: 'not-a-uuid', status: 400, attempt: 1, bad: 'bad-id', vu: 1, iteration: 8 },
      { start: 1767225600600, end: 1767225601600, op: 'get', id: ID, status: 0, attempt: 1 },
    ]);
    for (const event of events) {
      for (const key of ['start', 'end', 'status', 'attempt'] as const) expect(typeof event[key]).toBe('number');
    }
  });

  it('reads gzipped output (k6 --out json=file.gz)', async () => {
    const path = join(dir, 'k6.json.gz');
    await writeFile(path, gzipSync(`${K6_OUTPUT.join('\n')}\n`));
    expect(await loadHistory(path)).toHaveLength(5);
  });

  it('a last line cut short (k6 killed mid-write) is skipped and reported', async () => {
    const cut = K6_OUTPUT[3].slice(0, 60);
    const result = await readHistory(await file('cut.json', [...K6_OUTPUT, cut], false));
    expect(result.events).toHaveLength(5);
    expect(result.truncatedTail).toEqual({ line: K6_OUTPUT.length + 1, text: cut });
    expect(result.lines).toBe(K6_OUTPUT.length + 1);
  });

  it('a malformed line anywhere else is an error naming the file and line', async () => {
    const path = await file('broken.json', [K6_OUTPUT[0], K6_OUTPUT[3].slice(0, 60), ...K6_OUTPUT.slice(1)]);
    await expect(loadHistory(path)).rejects.toThrow(HistoryFormatError);
    await expect(loadHistory(path)).rejects.toThrow(`${path}:2: not JSON`);
  });

  it('a history point whose tags do not make an event is an error, not a silent skip', async () => {
    const noStatus = K6_OUTPUT[4].replace(',"status":"503"', '');
    await expect(loadHistory(await file('no-status.json', [noStatus]))).rejects.toThrow(/:1: status must be an integer; got undefined/);
    const badOp = K6_OUTPUT[4].replace('"op":"create"', '"op":"delete"');
    await expect(loadHistory(await file('bad-op.json', [badOp]))).rejects.toThrow(/op must be one of create, upload, get/);
  });

  it('a missing file is an error', async () => {
    await expect(loadHistory(join(dir, 'nope.json'))).rejects.toThrow(/ENOENT/);
  });

  it('historyEventOf: fields may be tags or metadata; tags win', () => {
    const sample = JSON.parse(K6_OUTPUT[4]);
    expect(historyEventOf(sample)).toMatchObject({ id: ID, start: 1767225600100, end: 1767225600105, status: 503 });
    sample.data.tags.end = '1767225600999';
    expect(historyEventOf(sample)).toMatchObject({ end: 1767225600999 });
    expect(historyEventOf({ type: 'Metric', metric: 'imagery_history', data: {} })).toBeUndefined();
    expect(historyEventOf({ type: 'Point', metric: 'http_reqs', data: {} })).toBeUndefined();
  });
});
