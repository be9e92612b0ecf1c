import busboy from 'busboy';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/local-aws/repo-root';
import { loadHistory } from '../history/load-history';
import { FixtureManifest, generateFixtures } from '../../load/fixtures';
import { K6Progress, describeK6Result, runK6 } from './run-k6';

/**
 * load/imagery.js against a tiny scripted HTTP server (no API, no emulator): the client's
 * retry discipline, the history it writes, and runK6's outcomes.
 */
type Handler = (req: IncomingMessage, res: ServerResponse, body: { fileSha256?: string }) => void;

describe('load/imagery.js + runK6 against a scripted server', () => {
  const script = join(repoRoot(), 'load', 'imagery.js');
  let dir: string;
  let manifest: FixtureManifest;
  let server: Server;
  let handler: Handler;
  let baseUrl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imagery-k6-'));
    manifest = await generateFixtures(join(dir, 'fixtures'), { seed: 5, maxUploadBytes: 8192, sizes: [{ width: 64, height: 48 }] });
    server = createServer((req, res) => {
      if (req.url === '/health/live') return json(res, 200, { status: 'ok' });
      if (req.method !== 'POST') return handler(req, res, {});
      // read the multipart file like the API does, to see exactly which bytes arrived
      const parser = busboy({ headers: req.headers });
      const hash = createHash('sha256');
      parser.on('file', (_name, stream) => stream.on('data', (chunk: Buffer) => hash.update(chunk)));
      parser.on('close', () => handler(req, res, { fileSha256: hash.digest('hex') }));
      parser.on('error', () => res.destroy());
      req.pipe(parser);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
    await rm(dir, { recursive: true, force: true });
  });

  const run = (name: string, env: Record<string, string | number> = {}, extra: { signal?: AbortSignal; onProgress?: (p: K6Progress) => void } = {}) =>
    runK6({
      script,
      jsonOut: join(dir, `${name}.json`),
      summaryFile: join(dir, `${name}-summary.json`),
      progressIntervalMs: 200,
      env: {
        BASE_URL: baseUrl,
        FIXTURES_DIR: join(dir, 'fixtures'),
        SCENARIO: 'smoke',
        ITERATIONS: 1,
        BAD_SHARE: 0,
        RETRY_BASE_MS: 10,
        RETRY_MAX_MS: 50,
        POLL_MIN_MS: 10,
        POLL_MAX_MS: 50,
        PREFLIGHT_TIMEOUT_MS: 2000,
        ...env,
      },
      ...extra,
    });

  it('retries a 503 and a network error with the same id and the same bytes; the history shows every attempt', async () => {
    const seen: Record<string, number> = {};
    const uploads: string[] = [];
    handler = (req, res, body) => {
      const key = `${req.method} ${req.url}`;
      const n = (seen[key] = (seen[key] ?? 0) + 1);
      const id = decodeURIComponent(req.url!.split('/')[2]);
      if (req.method === 'PUT') return n <= 2 ? json(res, 503, { statusCode: 503, error: 'dependency_unavailable', message: 'try again' }) : json(res, 201, item(id, 0, 'created'));
      if (req.method === 'POST') {
        uploads.push(`${id} ${body.fileSha256}`);
        return n === 1 ? res.destroy() : json(res, 200, item(id, 1, 'uploaded')); // the first upload's answer is lost
      }
      return json(res, 200, n < 3 ? item(id, 1, 'uploaded') : item(id, 2, 'processed'));
    };
    const progress: K6Progress[] = [];
    const result = await run('retry', {}, { onProgress: (p) => progress.push(p) });
    expect(describeK6Result(result)).toBe('k6: all thresholds passed');
    expect(result).toMatchObject({ exitCode: 0, outcome: 'passed', thresholdsCrossed: false });

    const events = await loadHistory(join(dir, 'retry.json'));
    const id = events[0].id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(events.map((e) => [e.op, e.status, e.attempt, e.id, e.state])).toEqual([
      ['create', 503, 1, id, undefined],
      ['create', 503, 2, id, undefined],
      ['create', 201, 3, id, 'created'],
      ['upload', 0, 1, id, undefined],
      ['upload', 200, 2, id, 'uploaded'],
      ['get', 200, 1, id, 'uploaded'],
      ['get', 200, 1, id, 'uploaded'],
      ['get', 200, 1, id, 'processed'],
    ]);
    // the retried upload sent the very same bytes, and the history names them
    const sha = manifest.images[0].sha256;
    expect(uploads).toEqual([`${id} ${sha}`, `${id} ${sha}`]);
    expect(events.filter((e) => e.op === 'upload').map((e) => e.sha256)).toEqual([sha, sha]);
    for (const e of events) {
      expect(e.start).toBeLessThanOrEqual(e.end);
      expect(e).toMatchObject({ vu: 1, iteration: 0 });
    }
    expect(events.find((e) => e.state === 'processed')).toMatchObject({ version: 2 });

    expect(result.summary).toMatchObject({ journeys: { total: 1, failed: 0 }, requests: { retries: 3 }, historyEvents: 8, thresholdsOk: true });
    expect(result.progress).toMatchObject({ requests: 8, serverErrors: 2, networkErrors: 1, retries: 3, processed: 1, ids: 1 });
    expect(progress.length).toBeGreaterThan(0);
    expect(result.stdout).toContain('journeys 1, failed after retries 0');
  });

  it('history fields: per-request ones as k6 metadata by default, all as tags with HISTORY_AS_TAGS=true; loadHistory reads both alike', async () => {
    handler = (req, res) => {
      const id = decodeURIComponent(req.url!.split('/')[2]);
      if (req.method === 'PUT') return json(res, 201, item(id, 0, 'created'));
      if (req.method === 'POST') return json(res, 200, item(id, 1, 'uploaded'));
      return json(res, 200, item(id, 2, 'processed'));
    };
    const shapes = [];
    for (const [name, env] of [['as-metadata', {}], ['as-tags', { HISTORY_AS_TAGS: 'true' }]] as const) {
      expect((await run(name, env)).outcome).toBe('passed');
      const raw = (await readFile(join(dir, `${name}.json`), 'utf8')).split('\n').filter((l) => l.includes('"type":"Point"') && l.includes('"imagery_history"'));
      const first = JSON.parse(raw[0]).data;
      shapes.push({ tags: Object.keys(first.tags).sort(), metadata: Object.keys(first.metadata ?? {}).sort() });
      const events = await loadHistory(join(dir, `${name}.json`));
      expect(events.map((e) => [e.op, e.status, e.attempt, e.version, e.state])).toEqual([
        ['create', 201, 1, 0, 'created'],
        ['upload', 200, 1, 1, 'uploaded'],
        ['get', 200, 1, 2, 'processed'],
      ]);
      expect(events[0]).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), vu: 1, iteration: 0, start: expect.any(Number), end: expect.any(Number) });
    }
    expect(shapes).toEqual([
      { tags: ['attempt', 'group', 'op', 'scenario', 'state', 'status', 'version'], metadata: ['end', 'id', 'iteration', 'start', 'vu'] },
      { tags: ['attempt', 'end', 'group', 'id', 'iteration', 'op', 'scenario', 'start', 'state', 'status', 'version', 'vu'], metadata: [] },
    ]);
  });

  it('gives up after MAX_ATTEMPTS and counts the journey failed: thresholds crossed is exit 99, reported as such', async () => {
    handler = (_req, res) => json(res, 500, { statusCode: 500, error: 'internal', message: 'boom' });
    const result = await run('give-up', { MAX_ATTEMPTS: 3 });
    expect(result).toMatchObject({ exitCode: 99, outcome: 'thresholds-crossed', thresholdsCrossed: true });
    expect(describeK6Result(result)).toMatch(/thresholds crossed \(exit 99\): .*journey_failed rate<=0\.01/);
    const events = await loadHistory(join(dir, 'give-up.json'));
    expect(events.map((e) => [e.op, e.status, e.attempt])).toEqual([
      ['create', 500, 1],
      ['create', 500, 2],
      ['create', 500, 3],
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    expect(result.summary).toMatchObject({ journeys: { total: 1, failed: 1 }, thresholdsOk: false });
  });

  it('a 4xx is an answer, not retried; bad input expecting it passes its check', async () => {
    handler = (_req, res) => json(res, 400, { statusCode: 400, error: 'invalid_image_id', message: 'bad id' });
    const result = await run('bad-id', { BAD_SHARE: 1, BAD_KINDS: 'bad-id' });
    expect(result.outcome).toBe('passed');
    const events = await loadHistory(join(dir, 'bad-id.json'));
    expect(events.map((e) => [e.op, e.status, e.attempt, e.bad])).toEqual([
      ['create', 400, 1, 'bad-id'],
      ['upload', 400, 1, 'bad-id'],
    ]);
    expect(events[0].id).not.toMatch(/^[0-9a-f-]{36}$/);
  });

  it('nothing listening at BASE_URL: the script aborts quickly and says so', async () => {
    const result = await run('nobody', { BASE_URL: 'http://127.0.0.1:1', PREFLIGHT_TIMEOUT_MS: 300 });
    expect(result).toMatchObject({ exitCode: 108, outcome: 'aborted' });
    expect(describeK6Result(result)).toContain('nothing answers at http://127.0.0.1:1');
  });

  it('an abort signal stops k6 (it still writes its summary); runK6 returns once the process is gone', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 503, { statusCode: 503, error: 'dependency_unavailable', message: 'slow' }), 100);
    const controller = new AbortController();
    const started = Date.now();
    const running = run('stopped', { SCENARIO: 'steady', RATE: 5, DURATION: '60s', MAX_ATTEMPTS: 100 }, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.requests > 0) controller.abort();
      },
    });
    const result = await running;
    expect(result.outcome).toBe('interrupted');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.summary).toBeDefined();
    expect(result.progress.requests).toBeGreaterThan(0);
  });
});

const item = (id: string, version: number, state: string) => ({ id, version, state, rawS3Key: null, processedS3Key: null, processedImage: null });

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
