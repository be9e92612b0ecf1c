// The imagery workload: each iteration is one user's journey — create an image with a fresh UUID,
// upload a JPEG, poll until it is processed — retrying failed requests idempotently (same request,
// same id). A share of iterations sends bad input on purpose and expects a 4xx.
// Every response (or network error) becomes one `imagery_history` sample: the history the checker
// reads (chaos/history/history-event.ts; run with `--out json=<file>`, read back with
// chaos/history/load-history.ts). See load/README.md.
//
// Plain k6 JavaScript, offline: no remote imports.
import { check, sleep } from 'k6';
import { sha256 } from 'k6/crypto';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';

// ---------------------------------------------------------------------------------------------
// Knobs (k6 run -e NAME=value)
// ---------------------------------------------------------------------------------------------
const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const SCENARIO = __ENV.SCENARIO || 'steady'; // steady | spike | smoke
const RATE = positive('RATE', 10); // new journeys per second (spike: the base rate)
const DURATION = __ENV.DURATION || '60s';
const SPIKE_FACTOR = positive('SPIKE_FACTOR', 5); // spike: peak = RATE × SPIKE_FACTOR
const ITERATIONS = positive('ITERATIONS', 1); // smoke: journeys, one VU
const BAD_SHARE = fraction('BAD_SHARE', 0.1);
const BAD_KINDS = (__ENV.BAD_KINDS || 'not-an-image,truncated,too-large,bad-id').split(',').map((s) => s.trim()).filter(Boolean);
const SEED = integer('SEED', 1);
const MAX_ATTEMPTS = positive('MAX_ATTEMPTS', 8); // per request, first try included
const RETRY_BASE_MS = positive('RETRY_BASE_MS', 200);
const RETRY_MAX_MS = positive('RETRY_MAX_MS', 5000);
const PROCESS_TIMEOUT_MS = positive('PROCESS_TIMEOUT_MS', 30000); // upload acknowledged → processed
const POLL_MIN_MS = positive('POLL_MIN_MS', 100);
const POLL_MAX_MS = positive('POLL_MAX_MS', 1000);
const REQUEST_TIMEOUT = __ENV.REQUEST_TIMEOUT || '10s';
const PREFLIGHT_TIMEOUT_MS = positive('PREFLIGHT_TIMEOUT_MS', 15000); // setup: wait this long for BASE_URL to answer
const P95_MS = positive('P95_MS', 1000); // thresholds on successful requests' latency
const P99_MS = positive('P99_MS', 2500);
const MAX_FAILED_JOURNEYS = fraction('MAX_FAILED_JOURNEYS', 0.01); // after retries
const MIN_CHECKS = fraction('MIN_CHECKS', 0.99);
const FIXTURES_DIR = (__ENV.FIXTURES_DIR || '').replace(/\/+$/, '');
const SUMMARY_FILE = __ENV.SUMMARY_FILE || '';
const HISTORY_AS_TAGS = ['1', 'true'].includes(__ENV.HISTORY_AS_TAGS || ''); // see record()

// ---------------------------------------------------------------------------------------------
// Options: scenarios and thresholds
// ---------------------------------------------------------------------------------------------
const durationSeconds = parseDuration(DURATION);
const peakRate = SCENARIO === 'spike' ? RATE * SPIKE_FACTOR : RATE;
// A journey lives ~1-3 s when healthy (mostly polling), much longer under faults: size the VU pool for that.
const preAllocatedVUs = integer('PRE_VUS', Math.max(2, Math.ceil(peakRate * 3)));
const maxVUs = integer('MAX_VUS', Math.max(preAllocatedVUs, Math.min(1000, Math.ceil(peakRate * (PROCESS_TIMEOUT_MS / 1000 + 10)))));
// let journeys in flight at the end finish (and be recorded) rather than cut them off
const gracefulStop = `${Math.ceil(PROCESS_TIMEOUT_MS / 1000 + (MAX_ATTEMPTS * RETRY_MAX_MS) / 1000)}s`;

const scenarios = {
  steady: {
    executor: 'constant-arrival-rate',
    rate: RATE,
    timeUnit: '1s',
    duration: DURATION,
    preAllocatedVUs,
    maxVUs,
    gracefulStop,
  },
  spike: {
    executor: 'ramping-arrival-rate',
    startRate: RATE,
    timeUnit: '1s',
    preAllocatedVUs,
    maxVUs,
    gracefulStop,
    stages: [
      { target: RATE, duration: seconds(durationSeconds * 0.2) },
      { target: RATE * SPIKE_FACTOR, duration: seconds(durationSeconds * 0.1) },
      { target: RATE * SPIKE_FACTOR, duration: seconds(durationSeconds * 0.3) },
      { target: RATE, duration: seconds(durationSeconds * 0.1) },
      { target: RATE, duration: seconds(durationSeconds * 0.3) },
    ],
  },
  smoke: { executor: 'per-vu-iterations', vus: 1, iterations: ITERATIONS, maxDuration: '10m', gracefulStop },
};
if (!scenarios[SCENARIO]) throw new Error(`SCENARIO must be one of ${Object.keys(scenarios).join(', ')}; got ${SCENARIO}`);

export const options = {
  scenarios: { [SCENARIO]: scenarios[SCENARIO] },
  thresholds: {
    'http_req_duration{expected_response:true}': [`p(95)<${P95_MS}`, `p(99)<${P99_MS}`],
    journey_failed: [`rate<=${MAX_FAILED_JOURNEYS}`],
    checks: [`rate>=${MIN_CHECKS}`],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
};

// ---------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------
/** The history: one sample per response, value = duration (ms), the event's fields as tags and metadata (record()). */
const history = new Trend('imagery_history', true);
/** Journeys that did not end as they should even after retries (good: processed; bad: a 4xx). */
const journeyFailed = new Rate('journey_failed');
const journeys = new Counter('journeys');
const retries = new Counter('retries');
/** Upload acknowledged → processed observed. */
const processingTime = new Trend('processing_time', true);

// ---------------------------------------------------------------------------------------------
// Fixtures (chaos/workload/fixtures.ts), read once at init; k6 shares open()'s bytes between VUs
// ---------------------------------------------------------------------------------------------
if (!FIXTURES_DIR) throw new Error('FIXTURES_DIR is required: generate fixtures first (see load/README.md)');
const manifest = JSON.parse(open(`${FIXTURES_DIR}/manifest.json`));
const loadFixture = (entry) => ({ ...entry, data: open(`${FIXTURES_DIR}/${entry.file}`, 'b') });
const images = manifest.images.map(loadFixture);
const badFiles = Object.fromEntries(manifest.bad.filter((entry) => BAD_KINDS.includes(entry.kind)).map((entry) => [entry.kind, loadFixture(entry)]));
const badKinds = BAD_KINDS.filter((kind) => kind === 'bad-id' || badFiles[kind]);
if (images.length === 0) throw new Error(`no images in ${FIXTURES_DIR}/manifest.json`);
if (BAD_SHARE > 0 && badKinds.length === 0) throw new Error(`BAD_SHARE=${BAD_SHARE} but none of BAD_KINDS=${BAD_KINDS} is available`);

const MALFORMED_IDS = ['not-a-uuid', '1234', '00000000-0000-0000-0000-00000000000g', 'x'.repeat(200), 'DROP%20TABLE'];

// ---------------------------------------------------------------------------------------------
// The journey
// ---------------------------------------------------------------------------------------------
export function setup() {
  // fail fast with a clear message when nothing listens at BASE_URL
  const deadline = Date.now() + PREFLIGHT_TIMEOUT_MS;
  for (;;) {
    const res = http.get(`${BASE_URL}/health/live`, { timeout: '2s', tags: { name: 'preflight' } });
    if (res.status !== 0) return;
    if (Date.now() > deadline) exec.test.abort(`nothing answers at ${BASE_URL} (${res.error})`);
    sleep(0.5);
  }
}

export default function () {
  const journey = startJourney();
  if (journey.bad) badInputJourney(journey);
  else userJourney(journey);
}

/** Create → upload → wait until processed. */
function userJourney(journey) {
  journeys.add(1, { kind: 'good' });
  const image = journey.image;

  const created = send(journey, 'create', () => http.put(imageUrl(journey.id), null, params('PUT /image/:id')));
  if (!check(created, { 'create → 2xx': (r) => is2xx(r.status) })) return failJourney();

  const uploaded = send(
    journey,
    'upload',
    () => http.post(`${imageUrl(journey.id)}/upload`, { file: http.file(image.data, image.file, image.contentType) }, params('POST /image/:id/upload')),
    { sha256: sha256Of(image) },
  );
  // a retry whose first try was accepted but answered too late may find the image already processed: 409 is then fine
  const accepted = is2xx(uploaded.status) || (uploaded.status === 409 && uploaded.attempt > 1);
  if (!check(uploaded, { 'upload → 2xx': () => accepted })) return failJourney();

  const acknowledgedAt = Date.now();
  const state = waitUntilProcessed(journey);
  if (state === 'processed') processingTime.add(Date.now() - acknowledgedAt);
  if (!check(state, { 'processed in time': (s) => s === 'processed' })) return failJourney();
  journeyFailed.add(false);
}

/** Polls GET /image/:id with growing pauses until the image is processed or failed, or the time is up. */
function waitUntilProcessed(journey) {
  const deadline = Date.now() + PROCESS_TIMEOUT_MS;
  let pause = POLL_MIN_MS;
  let state;
  for (;;) {
    const res = send(journey, 'get', () => http.get(imageUrl(journey.id), params('GET /image/:id')));
    if (is2xx(res.status)) state = res.item && res.item.state;
    if (state === 'processed' || state === 'failed') return state;
    if (!is2xx(res.status) && !retryable(res.status)) return `http ${res.status}`;
    if (Date.now() + pause > deadline) return state || 'timed out';
    sleep(pause / 1000);
    pause = Math.min(POLL_MAX_MS, pause * 1.5);
  }
}

/** Bad input on purpose: each bad request must get a 4xx (retried like any other on 5xx / network error). */
function badInputJourney(journey) {
  journeys.add(1, { kind: 'bad' });
  const kind = journey.bad;
  const answers = [];

  if (kind === 'bad-id') {
    const id = MALFORMED_IDS[Math.floor(journey.random() * MALFORMED_IDS.length)];
    const badJourney = { ...journey, id };
    const image = images[0];
    answers.push(send(badJourney, 'create', () => http.put(imageUrl(id), null, params('PUT /image/:id', true)), { bad: kind }));
    answers.push(
      send(
        badJourney,
        'upload',
        () => http.post(`${imageUrl(id)}/upload`, { file: http.file(image.data, image.file, image.contentType) }, params('POST /image/:id/upload', true)),
        { bad: kind, sha256: sha256Of(image) },
      ),
    );
  } else {
    // a real image process to upload the bad file into: that create is not bad, it must succeed
    const created = send(journey, 'create', () => http.put(imageUrl(journey.id), null, params('PUT /image/:id')));
    if (!check(created, { 'create → 2xx': (r) => is2xx(r.status) })) return failJourney();
    const file = badFiles[kind];
    answers.push(
      send(
        journey,
        'upload',
        () => http.post(`${imageUrl(journey.id)}/upload`, { file: http.file(file.data, file.file, file.contentType) }, params('POST /image/:id/upload', true)),
        { bad: kind, sha256: sha256Of(file) },
      ),
    );
  }
  const all4xx = answers.every((r) => r.status >= 400 && r.status < 500);
  check(answers, { 'bad input → 4xx': () => all4xx });
  journeyFailed.add(!all4xx);
}

// ---------------------------------------------------------------------------------------------
// Requests: idempotent retry, and one history event per response
// ---------------------------------------------------------------------------------------------
/**
 * Sends `request` until it gets an answer that is not a 5xx / 429 / network error, at most MAX_ATTEMPTS
 * times, with exponential backoff and jitter. The retry is the very same request: same id, same bytes.
 */
function send(journey, op, request, extra = {}) {
  for (let attempt = 1; ; attempt++) {
    const start = Date.now();
    const res = request();
    const end = Date.now();
    const item = is2xx(res.status) ? parseItem(res) : undefined;
    record(journey, op, { start, end, status: res.status, attempt, item, ...extra });
    if (!retryable(res.status) || attempt >= MAX_ATTEMPTS) return { status: res.status, attempt, item, error: res.error };
    retries.add(1, { op });
    const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
    sleep((ceiling * (0.5 + 0.5 * journey.random())) / 1000);
  }
}

/**
 * One history event. Fields that are unique to a request (start, end, id, vu, iteration) go into
 * k6's sample *metadata*: written beside the tags in the JSON output, but not indexed — k6 keeps
 * every distinct tag set for the whole run, about 14 KB each, so as tags they would cost that much
 * memory per request. The few-valued fields are tags. HISTORY_AS_TAGS=true puts everything in tags.
 * loadHistory (chaos/history/load-history.ts) reads both.
 */
function record(journey, op, { start, end, status, attempt, item, sha256, bad }) {
  const tags = { op, status: String(status), attempt: String(attempt) };
  if (item && Number.isFinite(item.version)) tags.version = String(item.version);
  if (item && typeof item.state === 'string') tags.state = item.state;
  if (sha256) tags.sha256 = sha256;
  if (bad) tags.bad = bad;
  const unique = { start: String(start), end: String(end), id: journey.id, vu: String(journey.vu), iteration: String(journey.iteration) };
  if (HISTORY_AS_TAGS) {
    history.add(end - start, { ...tags, ...unique });
    return;
  }
  const metadata = exec.vu.metrics.metadata;
  for (const [key, value] of Object.entries(unique)) metadata[key] = value;
  try {
    history.add(end - start, tags);
  } finally {
    for (const key of Object.keys(unique)) delete metadata[key];
  }
}

function startJourney() {
  const iteration = exec.scenario.iterationInTest;
  // the workload's choices depend only on SEED and the iteration's number, not on which VU runs it
  const random = mulberry32(mix(SEED, iteration));
  const bad = random() < BAD_SHARE ? badKinds[Math.floor(random() * badKinds.length)] : undefined;
  const image = images[Math.floor(random() * images.length)];
  return { id: crypto.randomUUID(), vu: exec.vu.idInTest, iteration, bad, image, random };
}

function failJourney() {
  journeyFailed.add(true);
}

const params = (name, expect4xx = false) => ({
  headers: { Accept: 'application/json' },
  timeout: REQUEST_TIMEOUT,
  tags: { name },
  ...(expect4xx ? { responseCallback: http.expectedStatuses({ min: 400, max: 499 }) } : {}),
});
const imageUrl = (id) => `${BASE_URL}/image/${encodeURIComponent(id)}`;
const is2xx = (status) => status >= 200 && status < 300;
const retryable = (status) => status === 0 || status === 429 || status >= 500;

function parseItem(res) {
  try {
    const body = res.json();
    return body && typeof body === 'object' ? body : undefined;
  } catch (_) {
    return undefined;
  }
}

const digests = {};
/** SHA-256 of a fixture's bytes (what the API names the raw object by), once per VU, checked against the manifest. */
function sha256Of(fixture) {
  if (!digests[fixture.file]) {
    const digest = sha256(fixture.data, 'hex');
    if (fixture.sha256 && digest !== fixture.sha256) exec.test.abort(`${fixture.file} does not match its manifest entry (regenerate the fixtures)`);
    digests[fixture.file] = digest;
  }
  return digests[fixture.file];
}

// ---------------------------------------------------------------------------------------------
// End of test: a compact JSON summary (SUMMARY_FILE) and a short text one on stdout
// ---------------------------------------------------------------------------------------------
export function handleSummary(data) {
  const m = data.metrics;
  const trend = (name) => {
    const v = m[name] && m[name].values;
    return v ? { count: v.count, avg: v.avg, p50: v.med, p90: v['p(90)'], p95: v['p(95)'], p99: v['p(99)'], max: v.max } : undefined;
  };
  const count = (name) => (m[name] ? m[name].values.count : 0);
  const rate = (name) => (m[name] ? { rate: m[name].values.rate, passes: m[name].values.passes, fails: m[name].values.fails } : undefined);
  const thresholds = {};
  for (const [name, metric] of Object.entries(m)) {
    if (!metric.thresholds) continue;
    thresholds[name] = Object.entries(metric.thresholds).map(([expression, result]) => ({ expression, ok: result.ok }));
  }
  const failed = rate('journey_failed');
  const summary = {
    scenario: SCENARIO,
    rate: RATE,
    duration: DURATION,
    seed: SEED,
    badShare: BAD_SHARE,
    baseUrl: BASE_URL,
    testRunDurationMs: data.state.testRunDurationMs,
    journeys: { total: count('journeys'), failed: failed ? failed.passes : 0, failedRate: failed ? failed.rate : 0 },
    requests: { total: count('http_reqs'), perSecond: m.http_reqs ? m.http_reqs.values.rate : 0, retries: count('retries') },
    historyEvents: count('imagery_history'),
    checks: rate('checks'),
    latencyMs: {
      successful: trend('http_req_duration{expected_response:true}'),
      all: trend('http_req_duration'),
      processing: trend('processing_time'),
    },
    iterations: { completed: count('iterations'), dropped: count('dropped_iterations') },
    thresholds,
    thresholdsOk: Object.values(thresholds).every((list) => list.every((t) => t.ok)),
  };
  const out = { stdout: textSummary(summary) };
  if (SUMMARY_FILE) out[SUMMARY_FILE] = `${JSON.stringify(summary, null, 2)}\n`;
  return out;
}

function textSummary(s) {
  const ms = (v) => (v === undefined ? '-' : `${Math.round(v)}ms`);
  const lat = (t) => (t ? `p50=${ms(t.p50)} p95=${ms(t.p95)} p99=${ms(t.p99)} max=${ms(t.max)} (n=${t.count})` : '-');
  const lines = [
    `imagery workload: ${s.scenario} at ${s.rate}/s for ${s.duration}, seed ${s.seed}, bad share ${s.badShare}, against ${s.baseUrl}`,
    `  journeys ${s.journeys.total}, failed after retries ${s.journeys.failed} (${(100 * s.journeys.failedRate).toFixed(2)}%), iterations dropped (no free VU) ${s.iterations.dropped}`,
    `  requests ${s.requests.total} (${s.requests.perSecond.toFixed(1)}/s), retries ${s.requests.retries}, history events ${s.historyEvents}`,
    `  checks ${s.checks ? `${s.checks.passes} passed, ${s.checks.fails} failed` : '-'}`,
    `  latency of successful requests: ${lat(s.latencyMs.successful)}`,
    `  upload → processed: ${lat(s.latencyMs.processing)}`,
    `  thresholds ${s.thresholdsOk ? 'passed' : 'CROSSED'}:`,
  ];
  for (const [name, list] of Object.entries(s.thresholds)) {
    for (const t of list) lines.push(`    ${t.ok ? 'ok  ' : 'FAIL'} ${name} ${t.expression}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(a, b) {
  let h = Math.imul((a >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b >>> 0, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

/** "90s", "2m", "1m30s", "1h", "500ms" → seconds. */
function parseDuration(text) {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let match = re.exec(text); match; match = re.exec(text)) {
    total += Number(match[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2]];
    consumed += match[0].length;
  }
  if (consumed !== text.length || total <= 0) throw new Error(`DURATION must look like 60s, 2m or 1m30s; got ${text}`);
  return total;
}

function seconds(value) {
  return `${Math.max(1, Math.round(value * 1000))}ms`;
}

function number(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number; got ${raw}`);
  return value;
}
function positive(name, fallback) {
  const value = number(name, fallback);
  if (!(value > 0)) throw new Error(`${name} must be > 0; got ${value}`);
  return value;
}
function integer(name, fallback) {
  const value = number(name, fallback);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer; got ${value}`);
  return value;
}
function fraction(name, fallback) {
  const value = number(name, fallback);
  if (value < 0 || value > 1) throw new Error(`${name} must be between 0 and 1; got ${value}`);
  return value;
}
