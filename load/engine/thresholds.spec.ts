import { WorkloadMetrics } from './metrics';
import { ThresholdSet } from './thresholds';

function metricsOf(
  latenciesMs: number[],
  journeys: { ok: number; failed: number },
  checks: { passes: number; fails: number },
): WorkloadMetrics {
  const m = new WorkloadMetrics();
  latenciesMs.forEach((ms, i) => m.recordRequest(i % 2 ? 'get' : 'create', 'ok', 1, ms));
  m.recordRequest('upload', 'info', 1, 9000);
  m.journeys.good.ok = journeys.ok;
  m.journeys.good.failed = journeys.failed;
  m.checks = checks;
  return m;
}

describe('thresholds (k6 syntax)', () => {
  // 1..100 ms, creates the odd ones, gets the even ones; one upload at 9 s that was not a 2xx
  const metrics = metricsOf(
    Array.from({ length: 100 }, (_, i) => i + 1),
    { ok: 98, failed: 2 },
    { passes: 99, fails: 1 },
  );

  it('evaluates percentiles of successful requests, overall and per op, rates and counts', () => {
    const set = new ThresholdSet({
      'http_req_duration{expected_response:true}': ['p(95)<96', 'p(99)<99', 'max<=100'],
      'http_req_duration{expected_response:true,op:get}': ['p(50)<=51', 'med>52'],
      http_req_duration: ['max<1000'],
      journey_failed: ['rate<=0.01', 'rate<=0.02'],
      checks: ['rate>=0.99'],
      http_reqs: ['count==101'],
      http_req_failed: ['rate<0.01'],
      dropped_iterations: ['count<1'],
    });
    const results = set.evaluate({ metrics, dropped: 3 });
    expect(results.map((r) => [r.metric, r.expression, r.ok])).toEqual([
      ['http_req_duration{expected_response:true}', 'p(95)<96', true],
      ['http_req_duration{expected_response:true}', 'p(99)<99', false],
      ['http_req_duration{expected_response:true}', 'max<=100', true],
      ['http_req_duration{expected_response:true,op:get}', 'p(50)<=51', true],
      ['http_req_duration{expected_response:true,op:get}', 'med>52', false],
      ['http_req_duration', 'max<1000', false], // the 9 s upload counts among all requests
      ['journey_failed', 'rate<=0.01', false],
      ['journey_failed', 'rate<=0.02', true],
      ['checks', 'rate>=0.99', true],
      ['http_reqs', 'count==101', true],
      ['http_req_failed', 'rate<0.01', true],
      ['dropped_iterations', 'count<1', false],
    ]);
    expect(results[7].value).toBeCloseTo(0.02);
  });

  it('a metric without samples fails, flagged noSamples (k6 passes it: a gate that saw nothing is blind)', () => {
    const set = new ThresholdSet({
      'http_req_duration{expected_response:true,op:upload}': ['p(99)<1'],
      processing_time: ['p(95)<1'],
      journey_failed: ['rate<=0.01'],
      checks: ['rate>=0.99'],
    });
    expect(set.evaluate({ metrics: new WorkloadMetrics(), dropped: 0 }).map((r) => [r.metric, r.ok, r.value, r.noSamples])).toEqual([
      ['http_req_duration{expected_response:true,op:upload}', false, undefined, true],
      ['processing_time', false, undefined, true],
      ['journey_failed', false, undefined, true],
      ['checks', false, undefined, true],
    ]);
    // with samples, no flag
    expect(new ThresholdSet({ checks: ['rate>=0.99'] }).evaluate({ metrics, dropped: 0 })[0]).toEqual({
      metric: 'checks',
      expression: 'rate>=0.99',
      ok: true,
      value: 0.99,
      abortOnFail: false,
    });
  });

  it('abortOnFail never aborts on a metric without samples yet (early in a run there are none)', () => {
    const set = new ThresholdSet({
      journey_failed: [{ threshold: 'rate<0.01', abortOnFail: true }],
      checks: [{ threshold: 'rate>=1', abortOnFail: true }],
    });
    expect(set.crossedAbortingThreshold({ metrics: new WorkloadMetrics(), dropped: 0 }, 60_000)).toBeUndefined();
  });

  it('abortOnFail: only crossed ones that ask for it, and not before their delay', () => {
    const set = new ThresholdSet({
      checks: ['rate>=1'], // crossed, but does not abort
      journey_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10s' }],
    });
    expect(set.crossedAbortingThreshold({ metrics, dropped: 0 }, 9_999)).toBeUndefined();
    expect(set.crossedAbortingThreshold({ metrics, dropped: 0 }, 10_000)).toMatchObject({
      metric: 'journey_failed',
      ok: false,
      value: 0.02,
    });
    const healthy = metricsOf([1], { ok: 10, failed: 0 }, { passes: 1, fails: 0 });
    expect(set.crossedAbortingThreshold({ metrics: healthy, dropped: 0 }, 60_000)).toBeUndefined();
  });

  it('refuses what it cannot read, naming it', () => {
    expect(() => new ThresholdSet({ checks: ['rate>>1'] })).toThrow(/"checks: rate>>1": write it like/);
    expect(() => new ThresholdSet({ checks: ['p(95)<1'] })).toThrow(/a rate has only rate/);
    expect(() => new ThresholdSet({ http_reqs: ['rate<1'] })).toThrow(/a counter has only count/);
    expect(() => new ThresholdSet({ http_req_duration: ['rate<1'] })).toThrow(/a duration has/);
    expect(() => new ThresholdSet({ latency: ['p(95)<1'] })).toThrow(/unknown metric latency/);
    expect(() => new ThresholdSet({ 'http_req_duration{op:upload}': ['p(95)<1'] })).toThrow(/add expected_response:true/);
    expect(() => new ThresholdSet({ 'http_req_duration{expected_response:true,op:delete}': ['p(95)<1'] })).toThrow(/op must be one of/);
    expect(() => new ThresholdSet({ 'checks{op:get}': ['rate>0'] })).toThrow(/unknown tag op/);
  });
});
