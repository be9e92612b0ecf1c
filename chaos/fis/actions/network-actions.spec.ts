import { FisTestKit, startFisTestKit } from '../testing/fis-test-kit';
import { getExperiment, startTemplate } from '../testing/run-template';

describe('network actions (Toxiproxy)', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  const subnets = { resourceType: 'aws:ec2:subnet', resourceTags: { AZ: 'a' }, selectionMode: 'ALL' };

  it('local:toxiproxy:toxic adds the toxic for the duration, then removes it', async () => {
    const id = await startTemplate(kit, {
      actions: {
        reset: { actionId: 'local:toxiproxy:toxic', parameters: { proxy: 's3', type: 'reset_peer', attributes: '{"timeout":0}', stream: 'upstream', toxicity: '0.5', duration: 'PT30S' } },
      },
    });
    await kit.clock.advance(0);
    expect([...kit.platform.network.toxics.values()]).toEqual([{ proxy: 's3', type: 'reset_peer', stream: 'upstream', toxicity: 0.5, attributes: { timeout: 0 } }]);
    const name = [...kit.platform.network.toxics.keys()][0];
    expect(name).toMatch(new RegExp(`^fis_${id}_reset$`));
    await kit.clock.advance(30_000);
    await kit.simulator.finished(id);
    expect(kit.platform.network.toxics.size).toBe(0);
    expect(kit.platform.journal).toEqual([`network.addToxic s3 ${name}`, `network.removeToxic s3 ${name}`]);
  });

  it('aws:network:disrupt-connectivity with proxies=sqs disables the sqs proxy, then enables it', async () => {
    const id = await startTemplate(kit, {
      targets: { subnets },
      actions: { cut: { actionId: 'aws:network:disrupt-connectivity', parameters: { proxies: 'sqs', duration: 'PT1M' }, targets: { Subnets: 'subnets' } } },
    });
    await kit.clock.advance(0);
    expect([...kit.platform.network.disabled]).toEqual(['sqs']);
    await kit.clock.advance(60_000);
    await kit.simulator.finished(id);
    expect(kit.platform.network.disabled.size).toBe(0);
    expect(kit.platform.journal).toEqual(['network.setEnabled sqs false', 'network.setEnabled sqs true']);
  });

  it('aws:network:disrupt-connectivity scope=all cuts every proxy; scope=dynamodb only dynamodb', async () => {
    const id = await startTemplate(kit, {
      targets: { subnets },
      actions: {
        all: { actionId: 'aws:network:disrupt-connectivity', parameters: { scope: 'all', duration: 'PT10S' }, targets: { Subnets: 'subnets' } },
        ddb: { actionId: 'aws:network:disrupt-connectivity', parameters: { scope: 'dynamodb', duration: 'PT10S' }, targets: { Subnets: 'subnets' }, startAfter: ['all'] },
      },
    });
    await kit.clock.advance(0);
    expect([...kit.platform.network.disabled].sort()).toEqual(['api-1', 'api-2', 'dynamodb', 's3', 'sqs']);
    await kit.clock.advance(10_000);
    expect([...kit.platform.network.disabled]).toEqual(['dynamodb']);
    await kit.clock.advance(10_000);
    await kit.simulator.finished(id);
    expect(kit.platform.network.disabled.size).toBe(0);
  });

  it('a toxic on a proxy that does not exist fails the action and the experiment', async () => {
    const id = await startTemplate(kit, {
      actions: { bad: { actionId: 'local:toxiproxy:toxic', parameters: { proxy: 'redis', type: 'latency', attributes: '{"latency":100}', duration: 'PT1M' } } },
    });
    await kit.simulator.finished(id);
    const experiment = await getExperiment(kit, id);
    expect(experiment.state!.status).toBe('failed');
    expect(experiment.state!.reason).toMatch(/Action 'bad' failed: proxy redis not found/);
    expect(experiment.actions!.bad.state).toEqual({ status: 'failed', reason: 'proxy redis not found' });
  });
});
