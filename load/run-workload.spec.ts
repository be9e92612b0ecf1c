import { join } from 'node:path';
import type { CompletionEntry, HistoryEntry, InvokeEntry, WorkloadEntry } from '@imagery/history/history-entry';
import type { WorkloadProgress } from './engine/progress';
import { iterationRandom } from './engine/seeded-choices';
import { chooseJourney, ALL_BAD_KINDS } from './imagery';
import { runWorkload } from './run-workload';
import { completions, useFakeApiWorkload } from '@imagery/testing/load/fake-api-workload';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Client = InvokeEntry | CompletionEntry;
const isClient = (e: HistoryEntry): e is Client => e.type === 'invoke' || e.type === 'ok' || e.type === 'fail' || e.type === 'info';

describe('runWorkload against a fake API', () => {
  const fakeApi = useFakeApiWorkload('workload');
  const run = (...args: Parameters<typeof fakeApi.run>) => fakeApi.run(...args);

  /** Every invoke has exactly one completion with its requestId and fields, after it; request ids are unique. */
  function expectPaired(entries: HistoryEntry[]): void {
    const invokes = new Map<string, InvokeEntry>();
    for (const e of entries.filter(isClient)) {
      if (e.type === 'invoke') {
        expect(invokes.has(e.requestId)).toBe(false);
        invokes.set(e.requestId, e);
      }
    }
    const done = completions(entries);
    expect(done).toHaveLength(invokes.size);
    for (const c of done) {
      const i = invokes.get(c.requestId)!;
      expect(i).toBeDefined();
      expect({ process: c.process, op: c.op, id: c.id, attempt: c.attempt, sha256: c.sha256, bad: c.bad }).toEqual({
        process: i.process,
        op: i.op,
        id: i.id,
        attempt: i.attempt,
        sha256: i.sha256,
        bad: i.bad,
      });
      expect(c.time).toBeGreaterThanOrEqual(i.time);
      expect(c.type).toBe(c.status >= 200 && c.status < 300 ? 'ok' : c.status >= 400 && c.status < 500 ? 'fail' : 'info');
      invokes.delete(c.requestId);
    }
  }

  it('journeys: create with a client UUID, upload, poll until processed; a well-formed, paired history', async () => {
    const progress: WorkloadProgress[] = [];
    const { result, entries, api } = await run(
      {},
      { rate: 20, durationSeconds: 0.5, seed: 4, onProgress: (p) => progress.push(p), progressIntervalMs: 100 },
    );
    expect(result.outcome).toBe('completed');
    expect(result.summary.journeys).toMatchObject({ ok: 10, failed: 0, interrupted: 0 });
    expect(result.thresholdsOk).toBe(true);

    const workload = entries.filter((e): e is WorkloadEntry => e.type === 'workload');
    expect(workload.map((e) => [e.phase, e.outcome])).toEqual([
      ['start', undefined],
      ['end', 'completed'],
    ]);
    expect(workload[0].options).toMatchObject({ seed: 4, runTag: 'seed-4', rate: 20, scenario: 'steady', badShare: 0 });
    expect(entries[0]).toBe(workload[0]);
    expect(entries[entries.length - 1]).toBe(workload[1]);
    expectPaired(entries);

    const done = completions(entries);
    for (let process = 0; process < 10; process++) {
      const ops = done.filter((c) => c.process === process);
      expect(ops[0]).toMatchObject({ op: 'create', type: 'ok', status: 201, version: 1, state: 'created' });
      expect(ops[0].id).toMatch(UUID_V4);
      const image =
        fakeApi.manifest().images[
          chooseJourney(iterationRandom(4, process), process, { seed: 4, runTag: 'seed-4', badShare: 0, badKinds: [], images: 2 }).image
        ];
      expect(ops[1]).toMatchObject({ op: 'upload', type: 'ok', status: 201, state: 'uploaded', sha256: image.sha256 });
      expect(ops[ops.length - 1]).toMatchObject({ op: 'get', type: 'ok', state: 'processed' });
      expect(new Set(ops.map((o) => o.id)).size).toBe(1);
    }
    // what the server saw: each attempt's x-request-id is the history's requestId
    const requestIds = done.map((c) => c.requestId).sort();
    expect(
      api.requests
        .filter((r) => r.path !== '/health/live')
        .map((r) => r.requestId)
        .sort(),
    ).toEqual(requestIds);
    expect(result.summary.requests.total).toBe(done.length);
    expect(result.summary.processed).toBe(10);
    expect(result.summary.latencyMs.successfulByOp.create.count).toBe(10);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toMatchObject({ requests: done.length, processed: 10, ids: 10, dropped: 0 });
    expect(result.text).toContain('journeys   10 ok, 0 failed');
  });

  it.each([
    ['a 503', { status: 503 }, 503, 'ServiceUnavailable'],
    ['a reset connection', 'reset', 0, undefined],
    ['no answer (timeout)', 'hang', 0, 'timeout'],
    ['a 429', { status: 429, body: { statusCode: 429, error: 'TooManyRequests' } }, 429, 'TooManyRequests'],
  ] as const)(
    'after %s the very same request is sent again: same id, same bytes, a new request id',
    async (_name, intervention, status, error) => {
      let posts = 0; // the first try of each journey's upload gets the intervention
      const { result, entries, api } = await run(
        { intervene: (r) => (r.method === 'POST' && ++posts % 2 === 1 ? intervention : undefined) },
        { scenario: 'smoke', iterations: 2, timeouts: { headersMs: 300, bodyMs: 300 } },
      );
      expect(result.summary.journeys).toMatchObject({ ok: 2, failed: 0 });
      expectPaired(entries);
      const uploads = completions(entries).filter((c) => c.op === 'upload');
      expect(uploads.map((u) => [u.process, u.attempt, u.type])).toEqual([
        [0, 1, status === 429 ? 'fail' : 'info'],
        [0, 2, 'ok'],
        [1, 1, status === 429 ? 'fail' : 'info'],
        [1, 2, 'ok'],
      ]);
      expect(uploads[0]).toMatchObject({ status, ...(error === 'ServiceUnavailable' ? { error: 'Injected' } : error ? { error } : {}) });
      if (status === 0) expect(uploads[0].error).toEqual(error ?? expect.stringMatching(/^(ECONNRESET|UND_ERR_SOCKET|EPIPE)$/));
      const sent = api.requests.filter((r) => r.method === 'POST');
      expect(sent).toHaveLength(4);
      expect(sent[1].path).toBe(sent[0].path);
      expect(sent[1].bodySha256).toBe(sent[0].bodySha256);
      expect(sent[1].requestId).not.toBe(sent[0].requestId);
      expect(sent.map((r) => r.requestId)).toEqual(uploads.map((u) => u.requestId));
      expect(result.summary.requests.retries).toBe(2);
    },
  );

  it("polls honour the API's Retry-After: fewer reads of a slow image, and it is still seen processed", async () => {
    const paced = (r: { method: string }) => (r.method === 'GET' ? { retryAfterSeconds: 1 } : undefined);
    const gets = async (fake: Parameters<typeof run>[0]) => {
      const { result, api } = await run(
        { processAfterMs: 1_500, ...fake },
        { scenario: 'smoke', iterations: 1, pollMinMs: 50, pollMaxMs: 100 },
      );
      expect(result.summary.journeys).toMatchObject({ ok: 1, failed: 0 });
      await api.close(); // the second run's API replaces this one's in the file's afterEach
      return api.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/image/')).length;
    };
    expect(await gets({})).toBeGreaterThanOrEqual(10); // its own pauses: 50, 75, 100, 100 ... ms
    const pacedGets = await gets({ intervene: paced });
    expect(pacedGets).toBeGreaterThanOrEqual(2);
    expect(pacedGets).toBeLessThanOrEqual(3); // a read each second until the 1.5 s job is done
  });

  it('a 4xx is an answer: not retried, and the journey fails', async () => {
    const { result, entries, api } = await run(
      { intervene: (r) => (r.method === 'PUT' ? { status: 400 } : undefined) },
      { scenario: 'smoke', iterations: 1, p95Ms: 60_000 },
    );
    expect(api.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(completions(entries).map((c) => [c.op, c.type, c.attempt])).toEqual([['create', 'fail', 1]]);
    expect(result.summary.journeys).toMatchObject({ ok: 0, failed: 1 });
    expect(result.thresholdsOk).toBe(false); // journey_failed and checks crossed
    // journey_failed and checks crossed; the 2xx latencies have no sample at all, which fails too
    expect(
      result.thresholds
        .filter((t) => !t.ok)
        .map((t) => t.metric)
        .sort(),
    ).toEqual(expect.arrayContaining(['checks', 'journey_failed', 'http_req_duration{expected_response:true,op:create}']));
    expect(
      result.thresholds
        .filter((t) => !t.ok && !t.noSamples)
        .map((t) => t.metric)
        .sort(),
    ).toEqual(['checks', 'journey_failed']);
  });

  it('gives up after maxAttempts and the journey fails', async () => {
    const { result, api } = await run(
      { intervene: (r) => (r.method === 'PUT' ? { status: 500 } : undefined) },
      { scenario: 'smoke', iterations: 1, maxAttempts: 3 },
    );
    expect(api.requests.filter((r) => r.method === 'PUT')).toHaveLength(3);
    expect(result.summary.journeys.failed).toBe(1);
  });

  it('an upload retry answered 409 after an info attempt (it had gone through) is accepted; the polls decide', async () => {
    let cut = false;
    const { result, entries } = await run(
      { intervene: (r) => (r.method === 'POST' && !cut ? ((cut = true), 'apply-then-reset') : undefined) },
      { scenario: 'smoke', iterations: 1 },
    );
    const uploads = completions(entries).filter((c) => c.op === 'upload');
    expect(uploads.map((u) => [u.type, u.status])).toEqual([
      ['info', 0],
      ['fail', 409],
    ]);
    expect(result.summary.journeys).toMatchObject({ ok: 1, failed: 0 });
  });

  it('bad input on purpose: the seeded share and kinds, each answered 4xx, marked `bad` in the history', async () => {
    const { result, entries } = await run({}, { rate: 100, durationSeconds: 0.4, seed: 11, badShare: 0.5 });
    expectPaired(entries);
    const done = completions(entries);
    const context = { seed: 11, runTag: 'seed-11', badShare: 0.5, badKinds: ALL_BAD_KINDS, images: 2 };
    const kinds = new Map<string, number>();
    for (let process = 0; process < 40; process++) {
      const choice = chooseJourney(iterationRandom(11, process), process, context);
      const ops = done.filter((c) => c.process === process);
      const bad = ops.filter((c) => c.bad);
      if (!choice.bad) {
        expect(bad).toEqual([]);
        continue;
      }
      kinds.set(choice.bad, (kinds.get(choice.bad) ?? 0) + 1);
      expect(bad.length).toBeGreaterThan(0);
      for (const c of bad) expect(c).toMatchObject({ bad: choice.bad, type: 'fail' });
      if (choice.bad === 'bad-id')
        expect(bad.map((c) => [c.op, c.id])).toEqual([
          ['create', choice.malformedId],
          ['upload', choice.malformedId],
        ]);
      else
        expect(ops.map((c) => [c.op, c.status, c.bad])).toEqual([
          ['create', 201, undefined],
          ['upload', { 'not-an-image': 415, truncated: 422, 'too-large': 413 }[choice.bad], choice.bad],
        ]);
    }
    expect([...kinds.keys()].sort()).toEqual([...ALL_BAD_KINDS].sort());
    const badJourneys = [...kinds.values()].reduce((a, b) => a + b, 0);
    expect(result.summary.journeys.bad).toEqual({ ok: badJourneys, failed: 0 });
    expect(result.summary.journeys.good.ok).toBe(40 - badJourneys);
    expect(result.summary.journeys.failed).toBe(0);
  });

  it('drops arrivals, and counts them, when every journey slot waits on a slow server', async () => {
    const { result } = await run({ intervene: () => ({ delayMs: 600 }) }, { rate: 50, durationSeconds: 0.5, maxVUs: 3 });
    expect(result.summary.iterations).toEqual({ arrivals: 25, started: 3, dropped: 22 });
    expect(result.summary.journeys.ok).toBe(3);
  });

  it('abortOnFail: a crossed threshold stops the run early; the history ends `aborted`, every invoke completed', async () => {
    const started = Date.now();
    const { result, entries } = await run(
      { intervene: (r) => (r.method === 'PUT' ? { status: 400 } : undefined) },
      {
        rate: 20,
        durationSeconds: 20,
        thresholds: {
          journey_failed: [{ threshold: 'rate<0.5', abortOnFail: true }],
          'http_req_duration{expected_response:true}': ['p(99)<60000'],
        },
        progressIntervalMs: 100,
      },
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.outcome).toBe('aborted');
    expect(result.summary.abortReason).toMatch(/journey_failed rate<0.5/);
    expect(result.thresholds).toEqual([
      expect.objectContaining({ metric: 'journey_failed', ok: false, value: 1, abortOnFail: true }),
      expect.objectContaining({ metric: 'http_req_duration{expected_response:true}', ok: false, noSamples: true }),
    ]);
    expect(entries[entries.length - 1]).toMatchObject({ type: 'workload', phase: 'end', outcome: 'aborted' });
    expectPaired(entries);
  });

  it('a crossed threshold without abortOnFail lets the run complete, and fails in the summary', async () => {
    const { result } = await run(
      {},
      {
        scenario: 'smoke',
        iterations: 1,
        thresholds: { 'http_req_duration{expected_response:true,op:get}': ['p(95)<0.001'], dropped_iterations: ['count==0'] },
      },
    );
    expect(result.outcome).toBe('completed');
    expect(result.thresholds.map((t) => [t.metric, t.ok])).toEqual([
      ['http_req_duration{expected_response:true,op:get}', false],
      ['dropped_iterations', true],
    ]);
    expect(result.text).toMatch(/FAIL http_req_duration\{expected_response:true,op:get\} p\(95\)<0.001/);
  });

  it('an abort signal stops at once: requests in flight complete as `info` (aborted), the history ends `aborted`', async () => {
    const stop = new AbortController();
    const pending = run(
      { intervene: (r) => (r.method === 'POST' ? 'hang' : undefined) },
      { rate: 10, durationSeconds: 30, signal: stop.signal },
    );
    setTimeout(() => stop.abort(), 500);
    const { result, entries } = await pending;
    expect(result.outcome).toBe('aborted');
    expect(result.summary.abortReason).toBe('signal');
    expect(result.summary.journeys.interrupted).toBeGreaterThan(0);
    expectPaired(entries);
    expect(completions(entries).filter((c) => c.error === 'aborted').length).toBeGreaterThan(0);
    expect(entries[entries.length - 1]).toMatchObject({ phase: 'end', outcome: 'aborted' });
  });

  it('refuses what cannot work, before sending anything', async () => {
    await expect(
      runWorkload({
        baseUrl: 'http://127.0.0.1:9',
        fixturesDir: join(fakeApi.dir(), 'fixtures'),
        historyPath: join(fakeApi.dir(), 'x.jsonl'),
        preflightTimeoutMs: 300,
      }),
    ).rejects.toThrow(/nothing answers at http:\/\/127.0.0.1:9/);
    await expect(
      runWorkload({ baseUrl: 'http://127.0.0.1:9', fixturesDir: join(fakeApi.dir(), 'nope'), historyPath: join(fakeApi.dir(), 'x.jsonl') }),
    ).rejects.toThrow(/no fixtures/);
    await expect(
      runWorkload({
        baseUrl: 'http://127.0.0.1:9',
        fixturesDir: join(fakeApi.dir(), 'fixtures'),
        historyPath: join(fakeApi.dir(), 'x.jsonl'),
        runTag: 'a b',
      }),
    ).rejects.toThrow(/runTag/);
    await expect(
      runWorkload({
        baseUrl: 'http://127.0.0.1:9',
        fixturesDir: join(fakeApi.dir(), 'fixtures'),
        historyPath: join(fakeApi.dir(), 'x.jsonl'),
        thresholds: { checks: ['p(95)<1'] },
        preflightTimeoutMs: 0,
      }),
    ).rejects.toThrow(/a rate has only rate/);
  });
});
