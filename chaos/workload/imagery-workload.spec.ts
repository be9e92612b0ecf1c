import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestApi, TestWorker, startTestApi, startTestWorker } from '../../test/harness/test-platform';
import { deployFreshStack } from '../../test/local-aws';
import { repoRoot } from '../../scripts/local-aws/repo-root';
import type { HistoryEvent } from '../history/history-event';
import { loadHistory } from '../history/load-history';
import { FixtureManifest, generateFixtures } from './fixtures';
import { K6Result, describeK6Result, runK6 } from './run-k6';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024; // keeps the too-large fixture cheap

/** The real workload (k6 + load/imagery.js) against the real API and worker on the emulator, no faults. */
describe('imagery workload: k6 against the real API and worker', () => {
  let dir: string;
  let api: TestApi;
  let worker: TestWorker;
  let manifest: FixtureManifest;
  let result: K6Result;
  let events: HistoryEvent[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imagery-workload-'));
    const [stack, generated] = await Promise.all([
      deployFreshStack('workload'),
      generateFixtures(join(dir, 'fixtures'), { seed: 3, maxUploadBytes: MAX_UPLOAD_BYTES }),
    ]);
    manifest = generated;
    [api, worker] = await Promise.all([
      startTestApi({ ...stack.env, MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) }),
      startTestWorker({ ...stack.env, WORKER_CONCURRENCY: '2' }),
    ]);
    result = await runK6({
      script: join(repoRoot(), 'load', 'imagery.js'),
      jsonOut: join(dir, 'k6.json'),
      summaryFile: join(dir, 'summary.json'),
      logFile: join(dir, 'k6.log'),
      env: {
        BASE_URL: api.url,
        FIXTURES_DIR: join(dir, 'fixtures'),
        RATE: 3,
        DURATION: '5s',
        BAD_SHARE: 0.3,
        SEED: 5, // its first 15 iterations hold every kind of bad input
        PROCESS_TIMEOUT_MS: 20_000,
        // latency is not what this test is about: a busy CI machine must not fail it
        P95_MS: 10_000,
        P99_MS: 20_000,
        MAX_FAILED_JOURNEYS: 0,
      },
    });
    events = await loadHistory(join(dir, 'k6.json'));
  }, 60_000);

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('k6 passes its thresholds: every journey ended as it should, every check passed', () => {
    expect({ outcome: result.outcome, text: describeK6Result(result) }).toEqual({ outcome: 'passed', text: 'k6: all thresholds passed' });
    expect(result.summary).toMatchObject({ scenario: 'steady', seed: 5, journeys: { failed: 0 }, thresholdsOk: true });
    expect(result.summary!.journeys.total).toBeGreaterThanOrEqual(12); // 3/s for 5 s
    expect(result.summary!.historyEvents).toBe(events.length);
  });

  it('every event has plausible fields', () => {
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.start).toBeLessThanOrEqual(e.end);
      expect(e.attempt).toBeGreaterThanOrEqual(1);
      expect(['create', 'upload', 'get']).toContain(e.op);
      expect(Number.isInteger(e.vu) && Number.isInteger(e.iteration)).toBe(true);
      if (e.bad === 'bad-id') expect(e.id).not.toMatch(UUID);
      else expect(e.id).toMatch(UUID);
      if (e.op === 'upload') expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
      if (e.status >= 200 && e.status < 300) expect(typeof e.version === 'number' && typeof e.state === 'string').toBe(true);
    }
  });

  it('every good journey: the upload got a 2xx, and a later GET saw it processed', () => {
    const images = new Set(manifest.images.map((f) => f.sha256));
    const goodIds = [...new Set(events.filter((e) => e.op === 'upload' && !e.bad).map((e) => e.id))];
    expect(goodIds.length).toBeGreaterThan(0);
    for (const id of goodIds) {
      const mine = events.filter((e) => e.id === id);
      const uploads = mine.filter((e) => e.op === 'upload');
      const acknowledged = uploads.find((e) => e.status >= 200 && e.status < 300);
      expect({ id, acknowledged: acknowledged?.status }).toEqual({ id, acknowledged: 200 });
      expect(images.has(acknowledged!.sha256!)).toBe(true);
      expect(mine.find((e) => e.op === 'create')?.status).toBe(201);
      const processed = mine.find((e) => e.op === 'get' && e.state === 'processed' && e.start >= acknowledged!.end);
      expect({ id, processed: processed?.state }).toEqual({ id, processed: 'processed' });
    }
  });

  it('every bad request got the 4xx its kind calls for, never a 5xx', () => {
    const bad = events.filter((e) => e.bad);
    expect(bad.length).toBeGreaterThan(0);
    const expected: Record<string, number> = { 'bad-id': 400, ...Object.fromEntries(manifest.bad.map((f) => [f.kind, f.expectStatus])) };
    for (const e of bad) expect({ kind: e.bad, op: e.op, status: e.status }).toEqual({ kind: e.bad, op: e.op, status: expected[e.bad!] });
    // the images those bad uploads went to were created fine and never left `created`
    for (const e of bad.filter((b) => b.bad !== 'bad-id')) {
      expect(events.filter((o) => o.id === e.id && o.op === 'create').map((o) => o.status)).toEqual([201]);
    }
    expect([...new Set(bad.map((e) => e.bad))].sort()).toEqual(['bad-id', 'not-an-image', 'too-large', 'truncated']);
  });

  it('no request failed: no 5xx, no network error, so no retries', () => {
    expect(events.filter((e) => e.status === 0 || e.status >= 500)).toEqual([]);
    expect(events.filter((e) => e.attempt > 1)).toEqual([]);
  });
});
