import { FisTestKit, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';
import { getExperiment, startTemplate } from '@imagery/testing/fis/run-template';

const ALARM = (name: string) => `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`;
const dlq = (value: number, instance = 'i-worker-1-3') => ({
  name: 'imagery_queue_messages',
  labels: { queue: 'dead_letter', kind: 'visible', role: 'worker', instance },
  value,
});
const http5xx = (value: number, instance = 'i-api-1-1') => ({
  name: 'imagery_http_requests_total',
  labels: { role: 'api', instance, route: '/image/:id', method: 'PUT', status: '503' },
  value,
});

describe('stop conditions (aws:cloudwatch:alarm on the platform metrics)', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  const faults = {
    targets: {
      api: { resourceType: 'aws:iam:role', resourceTags: { Role: 'api' }, selectionMode: 'ALL' },
      subnets: { resourceType: 'aws:ec2:subnet', resourceTags: { AZ: 'a' }, selectionMode: 'ALL' },
    },
    actions: {
      errors: {
        actionId: 'aws:fis:inject-api-internal-error',
        parameters: { service: 'sqs', operations: 'SendMessage', percentage: '50', duration: 'PT10M' },
        targets: { Roles: 'api' },
      },
      latency: {
        actionId: 'local:toxiproxy:toxic',
        parameters: { proxy: 'dynamodb', type: 'latency', attributes: '{"latency":200}', duration: 'PT10M' },
      },
      cut: {
        actionId: 'aws:network:disrupt-connectivity',
        parameters: { proxies: 'sqs', duration: 'PT10M' },
        targets: { Subnets: 'subnets' },
      },
      later: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['errors'] },
    },
  };

  it('stops the experiment when the dead-letter queue is not empty, and removes every fault', async () => {
    kit.platform.metrics.samples = [dlq(0)];
    const id = await startTemplate(kit, {
      ...faults,
      stopConditions: [{ source: 'aws:cloudwatch:alarm', value: ALARM('imagery-dlq-not-empty') }],
    });
    await kit.clock.advance(5_000);
    expect((await getExperiment(kit, id)).state!.status).toBe('running');
    expect(kit.platform.apiFaults.active()).toHaveLength(1);
    expect(kit.platform.network.toxics.size).toBe(2); // the service's proxy in each zone
    expect(kit.platform.network.disabled.size).toBe(2);

    kit.platform.metrics.samples = [dlq(1)];
    await kit.clock.advance(1_000);
    await kit.simulator.finished(id);
    const experiment = await getExperiment(kit, id);
    expect(experiment.state!.status).toBe('stopped');
    expect(experiment.state!.reason).toMatch(
      /^Stop condition triggered: alarm imagery-dlq-not-empty is in ALARM \(max\(imagery_queue_messages\) = 1/,
    );
    expect(Object.fromEntries(Object.entries(experiment.actions!).map(([n, a]) => [n, a.state!.status]))).toEqual({
      errors: 'stopped',
      latency: 'stopped',
      cut: 'stopped',
      later: 'cancelled',
    });
    expect(kit.platform.apiFaults.active()).toEqual([]);
    expect(kit.platform.network.toxics.size).toBe(0);
    expect(kit.platform.network.disabled.size).toBe(0);
  });

  it('stops on the API 5xx rate computed from successive scrapes, not on the counter total', async () => {
    // A large but flat counter: no new errors, so no alarm.
    kit.platform.metrics.samples = [http5xx(1000)];
    const id = await startTemplate(kit, {
      ...faults,
      stopConditions: [{ source: 'aws:cloudwatch:alarm', value: ALARM('imagery-api-5xx-rate') }],
    });
    await kit.clock.advance(20_000);
    expect((await getExperiment(kit, id)).state!.status).toBe('running');
    // Then 10 errors a second on one instance, plus a restarted instance whose counter begins again.
    for (let s = 1; s <= 12; s++) {
      kit.platform.metrics.samples = [http5xx(1000 + 10 * s), http5xx(s, 'i-api-2-9')];
      await kit.clock.advance(1_000);
    }
    await kit.simulator.finished(id);
    const experiment = await getExperiment(kit, id);
    expect(experiment.state!.status).toBe('stopped');
    expect(experiment.state!.reason).toMatch(
      /alarm imagery-api-5xx-rate is in ALARM \(rate\(imagery_http_requests_total\[10s\]\) = \d+\.\d\d\/s/,
    );
    expect(kit.platform.apiFaults.active()).toEqual([]);
  });

  it('keeps running when metrics cannot be scraped (no data is not an alarm)', async () => {
    kit.platform.metrics.fail = true;
    const id = await startTemplate(kit, {
      actions: { pause: { actionId: 'aws:fis:wait', parameters: { duration: 'PT30S' } } },
      stopConditions: [{ source: 'aws:cloudwatch:alarm', value: ALARM('imagery-dlq-not-empty') }],
    });
    await kit.clock.advance(30_000);
    await kit.simulator.finished(id);
    expect((await getExperiment(kit, id)).state!.status).toBe('completed');
    expect(kit.platform.metrics.scrapes).toBeGreaterThanOrEqual(30);
    expect(kit.logs.some((l) => l.includes('scrape failed'))).toBe(true);
  });
});
