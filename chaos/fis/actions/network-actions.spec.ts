import { FisTestKit, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';
import { getExperiment, startTemplate } from '@imagery/testing/fis/run-template';

describe('network actions (Toxiproxy)', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  const subnets = { resourceType: 'aws:ec2:subnet', resourceTags: { AZ: 'a' }, selectionMode: 'ALL' };

  it('local:toxiproxy:toxic adds the toxic for the duration, then removes it', async () => {
    const id = await startTemplate(kit, {
      actions: {
        reset: {
          actionId: 'local:toxiproxy:toxic',
          parameters: {
            proxy: 's3',
            type: 'reset_peer',
            attributes: '{"timeout":0}',
            stream: 'upstream',
            toxicity: '0.5',
            duration: 'PT30S',
          },
        },
      },
    });
    await kit.clock.advance(0);
    // A service name means that service's proxy in every zone.
    const toxic = { type: 'reset_peer', stream: 'upstream', toxicity: 0.5, attributes: { timeout: 0 } };
    expect([...kit.platform.network.toxics.values()]).toEqual([
      { proxy: 's3-a', ...toxic },
      { proxy: 's3-b', ...toxic },
    ]);
    const name = [...kit.platform.network.toxics.keys()][0].split('/')[1];
    expect(name).toMatch(new RegExp(`^fis_${id}_reset$`));
    await kit.clock.advance(30_000);
    await kit.simulator.finished(id);
    expect(kit.platform.network.toxics.size).toBe(0);
    expect(kit.platform.journal).toEqual([`network.addToxic s3 ${name}`, `network.removeToxic s3 ${name}`]);
  });

  it('aws:network:disrupt-connectivity with proxies=sqs disables the sqs proxy of every zone, then enables them', async () => {
    const id = await startTemplate(kit, {
      targets: { subnets },
      actions: {
        cut: {
          actionId: 'aws:network:disrupt-connectivity',
          parameters: { proxies: 'sqs', duration: 'PT1M' },
          targets: { Subnets: 'subnets' },
        },
      },
    });
    await kit.clock.advance(0);
    expect([...kit.platform.network.disabled]).toEqual(['sqs-a', 'sqs-b']);
    await kit.clock.advance(60_000);
    await kit.simulator.finished(id);
    expect(kit.platform.network.disabled.size).toBe(0);
    expect(kit.platform.journal).toEqual(['network.setEnabled sqs false', 'network.setEnabled sqs true']);
  });

  const cutsAll =
    "aws:network:disrupt-connectivity scope=all cuts the zone's AWS proxies and its API instances; the other zone keeps working";
  it(cutsAll, async () => {
    const id = await startTemplate(kit, {
      targets: { subnets },
      actions: {
        all: {
          actionId: 'aws:network:disrupt-connectivity',
          parameters: { scope: 'all', duration: 'PT10S' },
          targets: { Subnets: 'subnets' },
        },
        ddb: {
          actionId: 'aws:network:disrupt-connectivity',
          parameters: { scope: 'dynamodb', duration: 'PT10S' },
          targets: { Subnets: 'subnets' },
          startAfter: ['all'],
        },
        cross: {
          actionId: 'aws:network:disrupt-connectivity',
          parameters: { scope: 'availability-zone', duration: 'PT10S' },
          targets: { Subnets: 'subnets' },
          startAfter: ['ddb'],
        },
      },
    });
    await kit.clock.advance(0);
    // api-1 runs in zone a, api-2 in zone b.
    expect([...kit.platform.network.disabled].sort()).toEqual(['api-1', 'dynamodb-a', 's3-a', 'sqs-a']);
    await kit.clock.advance(10_000);
    expect([...kit.platform.network.disabled]).toEqual(['dynamodb-a']);
    await kit.clock.advance(10_000);
    expect([...kit.platform.network.disabled]).toEqual(['api-1']);
    await kit.clock.advance(10_000);
    await kit.simulator.finished(id);
    expect(kit.platform.network.disabled.size).toBe(0);
  });

  it('aws:network:disrupt-connectivity refuses scopes with no local meaning', async () => {
    await expect(
      startTemplate(kit, {
        targets: { subnets },
        actions: {
          cut: {
            actionId: 'aws:network:disrupt-connectivity',
            parameters: { scope: 'prefix-list', duration: 'PT10S' },
            targets: { Subnets: 'subnets' },
          },
        },
      }),
    ).rejects.toThrow(/parameter 'scope': "prefix-list" must be one of all, availability-zone, dynamodb, s3/);
  });

  it('a toxic on a proxy that does not exist fails the action and the experiment', async () => {
    const id = await startTemplate(kit, {
      actions: {
        bad: {
          actionId: 'local:toxiproxy:toxic',
          parameters: { proxy: 'redis', type: 'latency', attributes: '{"latency":100}', duration: 'PT1M' },
        },
      },
    });
    await kit.simulator.finished(id);
    const experiment = await getExperiment(kit, id);
    expect(experiment.state!.status).toBe('failed');
    expect(experiment.state!.reason).toMatch(/Action 'bad' failed: proxy redis not found/);
    expect(experiment.actions!.bad.state).toEqual({ status: 'failed', reason: 'proxy redis not found' });
  });
});
