import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestApi, TestWorker, startTestApi, startTestWorker } from '@imagery/testing/platform/test-platform';
import { deployFreshStack } from '@imagery/testing/platform/local-aws';
import type { CompletionEntry, HistoryEntry } from '@imagery/history/history-entry';
import { readHistoryFile } from '@imagery/history/history-file';
import { iterationRandom } from './engine/seeded-choices';
import { FixtureManifest, generateFixtures } from './fixtures';
import { ALL_BAD_KINDS, chooseJourney } from './imagery';
import { WorkloadResult, runWorkload } from './run-workload';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024; // keeps the too-large fixture cheap
const RATE = 3;
const SECONDS = 5;
const BAD_SHARE = 0.3;

/** The first seed whose journeys in this run hold every kind of bad input (found, not hard-coded). */
function seedWithEveryBadKind(): number {
  const journeys = RATE * SECONDS;
  for (let seed = 1; ; seed++) {
    const context = { seed, runTag: 'e2e', badShare: BAD_SHARE, badKinds: ALL_BAD_KINDS, images: 4 };
    const kinds = new Set(Array.from({ length: journeys }, (_, i) => chooseJourney(iterationRandom(seed, i), i, context).bad));
    if (ALL_BAD_KINDS.every((k) => kinds.has(k))) return seed;
  }
}

/** The real workload (load/run-workload.ts) against the real API and worker on the emulator, no faults. */
describe('imagery workload against the real API and worker', () => {
  let dir: string;
  let api: TestApi;
  let worker: TestWorker;
  let manifest: FixtureManifest;
  let result: WorkloadResult;
  let entries: HistoryEntry[];
  let done: CompletionEntry[];

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
    result = await runWorkload({
      baseUrl: api.url,
      fixturesDir: join(dir, 'fixtures'),
      historyPath: join(dir, 'history.jsonl'),
      rate: RATE,
      durationSeconds: SECONDS,
      badShare: BAD_SHARE,
      seed: seedWithEveryBadKind(),
      runTag: 'e2e',
      processTimeoutMs: 20_000,
      // latency is not what this test is about: a busy CI machine must not fail it
      p95Ms: 10_000,
      p99Ms: 20_000,
      maxFailedJourneys: 0,
    });
    const read = await readHistoryFile(join(dir, 'history.jsonl'));
    expect(read.truncatedTail).toBeUndefined();
    entries = read.entries;
    done = entries.filter((e): e is CompletionEntry => e.type === 'ok' || e.type === 'fail' || e.type === 'info');
  }, 90_000);

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('completes with every threshold held: every journey ended as it should, every check passed', () => {
    expect(result.outcome).toBe('completed');
    expect(result.thresholds.filter((t) => !t.ok)).toEqual([]);
    expect(result.summary.journeys).toMatchObject({ ok: RATE * SECONDS, failed: 0, interrupted: 0 });
    expect(result.summary.requests.total).toBe(done.length);
    expect(entries[entries.length - 1]).toMatchObject({ type: 'workload', phase: 'end', outcome: 'completed' });
  });

  it('every good journey: created (201), upload acknowledged (2xx) with a fixture, then seen processed', () => {
    const images = new Set(manifest.images.map((f) => f.sha256));
    const goodIds = [...new Set(done.filter((e) => e.op === 'upload' && !e.bad).map((e) => e.id))];
    expect(goodIds.length).toBeGreaterThan(0);
    for (const id of goodIds) {
      expect(id).toMatch(UUID);
      const mine = done.filter((e) => e.id === id);
      const acknowledged = mine.find((e) => e.op === 'upload' && e.type === 'ok');
      expect({ id, acknowledged: acknowledged?.status }).toEqual({ id, acknowledged: 200 });
      expect(images.has(acknowledged!.sha256!)).toBe(true);
      expect(mine.find((e) => e.op === 'create')).toMatchObject({ status: 201, version: expect.any(Number) as unknown, state: 'created' });
      expect(mine.some((e) => e.op === 'get' && e.state === 'processed' && e.time >= acknowledged!.time)).toBe(true);
    }
  });

  it('every bad request got the 4xx its kind calls for, never a 5xx', () => {
    const bad = done.filter((e) => e.bad);
    const expected: Record<string, number> = { 'bad-id': 400, ...Object.fromEntries(manifest.bad.map((f) => [f.kind, f.expectStatus])) };
    for (const e of bad)
      expect({ kind: e.bad, op: e.op, status: e.status, type: e.type }).toEqual({
        kind: e.bad,
        op: e.op,
        status: expected[e.bad!],
        type: 'fail',
      });
    expect([...new Set(bad.map((e) => e.bad))].sort()).toEqual([...ALL_BAD_KINDS].sort());
  });

  it('no request failed: no 5xx, no network error, so no retries', () => {
    expect(done.filter((e) => e.type === 'info')).toEqual([]);
    expect(done.filter((e) => e.attempt > 1)).toEqual([]);
  });
});
