import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';
import type { InstanceInfo, InstanceState } from '@imagery/control-plane/control-plane';
import { FleetMetricsReader } from './fleet-metrics-reader';
import { parsePrometheusText } from './prometheus-text';

describe('parsePrometheusText', () => {
  it('reads what prom-client serves: counters with labels, histograms as their series', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ instance: 'i-api-1-1', role: 'api' });
    new Counter({ name: 'calls_total', help: 'h', labelNames: ['op'], registers: [registry] }).inc({ op: 'PutItem' }, 3);
    new Histogram({ name: 'latency_seconds', help: 'h', buckets: [0.1, 1], registers: [registry] }).observe(0.5);
    const samples = parsePrometheusText(await registry.metrics());
    expect(samples).toContainEqual({ name: 'calls_total', labels: { op: 'PutItem', instance: 'i-api-1-1', role: 'api' }, value: 3 });
    expect(samples).toContainEqual({ name: 'latency_seconds_bucket', labels: { le: '0.1', instance: 'i-api-1-1', role: 'api' }, value: 0 });
    expect(samples).toContainEqual({
      name: 'latency_seconds_bucket',
      labels: { le: '+Inf', instance: 'i-api-1-1', role: 'api' },
      value: 1,
    });
    expect(samples).toContainEqual({ name: 'latency_seconds_count', labels: { instance: 'i-api-1-1', role: 'api' }, value: 1 });
  });

  it('handles escapes, no labels, special values, timestamps and comments', () => {
    const text = [
      '# HELP x help with "quotes"',
      '# TYPE x gauge',
      'x 1',
      'y{path="C:\\\\dir",msg="say \\"hi\\"\\nbye",} -Inf 1712345678000',
      'z{ a = "1" } NaN',
      'w{} +Inf',
      '',
    ].join('\n');
    const samples = parsePrometheusText(text);
    expect(samples[0]).toEqual({ name: 'x', labels: {}, value: 1 });
    expect(samples[1]).toEqual({ name: 'y', labels: { path: 'C:\\dir', msg: 'say "hi"\nbye' }, value: -Infinity });
    expect(samples[2].labels).toEqual({ a: '1' });
    expect(samples[2].value).toBeNaN();
    expect(samples[3]).toEqual({ name: 'w', labels: {}, value: Infinity });
  });

  it('refuses what is not the text format', () => {
    expect(() => parsePrometheusText('{oops} 1')).toThrow(/not a Prometheus sample/);
    expect(() => parsePrometheusText('x{a="1" 1')).toThrow(/malformed labels/);
    expect(() => parsePrometheusText('x abc')).toThrow(/no value/);
  });
});

describe('FleetMetricsReader', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('imagery_jobs_total{outcome="processed"} 4\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const instance = (id: string, state: InstanceState, baseUrl: string): InstanceInfo => ({
    id,
    role: 'worker',
    az: 'a',
    state,
    tags: { Role: 'worker', AZ: 'a', Name: 'worker-1' },
    baseUrl,
    launchedAt: 0,
  });

  it('scrapes every running instance, labels its samples, and reports each target as up or not', async () => {
    const fleet = {
      instances: () => [
        instance('i-worker-1-1', 'running', url),
        instance('i-worker-2-1', 'running', 'http://127.0.0.1:1'), // nothing listens: just died
        instance('i-worker-3-1', 'stopped', url), // frozen: not scraped
      ],
    };
    const samples = await new FleetMetricsReader(fleet).scrape();
    expect(samples).toEqual([
      { name: 'imagery_jobs_total', labels: { instance: 'i-worker-1-1', role: 'worker', outcome: 'processed' }, value: 4 },
      { name: 'up', labels: { instance: 'i-worker-1-1', role: 'worker' }, value: 1 },
      { name: 'up', labels: { instance: 'i-worker-2-1', role: 'worker' }, value: 0 },
    ]);
  });
});
