// Steady API load for `npm run bench` (bench/pipeline.bench.ts): a constant arrival rate of reads —
// GET /image/:id on one image created beforehand — and idempotent creates — PUT /image/<fresh uuid>.
// No retries: every slow or failed answer counts, this measures the API, not the client.
//
// Plain k6 JavaScript, offline: no remote imports.
import { check } from 'k6';
import http from 'k6/http';

// ---------------------------------------------------------------------------------------------
// Knobs (k6 run -e NAME=value)
// ---------------------------------------------------------------------------------------------
const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const IMAGE_ID = __ENV.IMAGE_ID || ''; // the image the reads read
const RATE = Number(__ENV.RATE || 200); // requests per second, reads and creates together
const GET_SHARE = Number(__ENV.GET_SHARE || 0.8);
const DURATION = __ENV.DURATION || '20s';
const P99_MS = Number(__ENV.P99_MS || 50); // the design's target, as a threshold (crossing it is a result, not an error)
const SUMMARY_FILE = __ENV.SUMMARY_FILE || '';

if (!IMAGE_ID) throw new Error('IMAGE_ID is required: the id of an existing image to read');
if (!(RATE > 0) || !(GET_SHARE >= 0 && GET_SHARE <= 1)) throw new Error(`RATE must be > 0 and GET_SHARE in 0..1; got ${RATE}, ${GET_SHARE}`);

// ---------------------------------------------------------------------------------------------
// Options: two open-model scenarios (arrivals do not wait for answers) and the latency target
// ---------------------------------------------------------------------------------------------
const getRate = Math.round(RATE * GET_SHARE);
const putRate = RATE - getRate;
const arrivals = (rate, exec) => ({
  executor: 'constant-arrival-rate',
  rate,
  timeUnit: '1s',
  duration: DURATION,
  preAllocatedVUs: Math.max(5, Math.ceil(rate / 2)), // initialised before the start: a VU made mid-run costs a script compile
  maxVUs: Math.max(50, rate * 3), // room for ~3 s answers (faults) before arrivals are dropped
  gracefulStop: '5s',
  exec,
});
const scenarios = {};
if (getRate > 0) scenarios.reads = arrivals(getRate, 'read');
if (putRate > 0) scenarios.creates = arrivals(putRate, 'create');

export const options = {
  scenarios,
  thresholds: {
    http_req_duration: [`p(99)<${P99_MS}`],
    'http_req_duration{scenario:reads}': [`p(99)<${P99_MS}`],
    'http_req_duration{scenario:creates}': [`p(99)<${P99_MS}`],
    http_req_failed: ['rate<0.01'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  discardResponseBodies: true,
};

// ---------------------------------------------------------------------------------------------
// The requests
// ---------------------------------------------------------------------------------------------
export function read() {
  const res = http.get(`${BASE_URL}/image/${IMAGE_ID}`, { headers: { Accept: 'application/json' }, timeout: '10s', tags: { name: 'GET /image/:id' } });
  check(res, { 'GET → 200': (r) => r.status === 200 });
}

export function create() {
  const res = http.put(`${BASE_URL}/image/${crypto.randomUUID()}`, null, {
    headers: { Accept: 'application/json' },
    timeout: '10s',
    tags: { name: 'PUT /image/:id' },
  });
  check(res, { 'PUT → 201': (r) => r.status === 201 });
}

// ---------------------------------------------------------------------------------------------
// End of test: a compact JSON summary (SUMMARY_FILE)
// ---------------------------------------------------------------------------------------------
export function handleSummary(data) {
  const m = data.metrics;
  const trend = (name) => {
    const v = m[name] && m[name].values;
    return v ? { count: v.count, avg: v.avg, p50: v.med, p90: v['p(90)'], p95: v['p(95)'], p99: v['p(99)'], max: v.max } : undefined;
  };
  const summary = {
    rate: RATE,
    getShare: GET_SHARE,
    duration: DURATION,
    baseUrl: BASE_URL,
    requests: m.http_reqs ? { total: m.http_reqs.values.count, perSecond: m.http_reqs.values.rate } : undefined,
    failed: m.http_req_failed ? { rate: m.http_req_failed.values.rate, count: m.http_req_failed.values.passes } : undefined,
    dropped: m.dropped_iterations ? m.dropped_iterations.values.count : 0,
    maxVUs: m.vus_max ? m.vus_max.values.max : undefined,
    latencyMs: {
      all: trend('http_req_duration'),
      reads: trend('http_req_duration{scenario:reads}'),
      creates: trend('http_req_duration{scenario:creates}'),
    },
  };
  const ms = (v) => (v === undefined ? '-' : `${v.toFixed(1)}ms`);
  const all = summary.latencyMs.all;
  const text = `api load: ${RATE}/s for ${DURATION}: p50=${ms(all && all.p50)} p99=${ms(all && all.p99)} failed=${summary.failed ? summary.failed.count : '-'} dropped=${summary.dropped}\n`;
  const out = { stdout: text };
  if (SUMMARY_FILE) out[SUMMARY_FILE] = `${JSON.stringify(summary, null, 2)}\n`;
  return out;
}
