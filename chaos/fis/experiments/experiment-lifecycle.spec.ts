import { StopExperimentCommand } from '@aws-sdk/client-fis';
import { FisTestKit, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';
import { getExperiment, startTemplate } from '@imagery/testing/fis/run-template';

const wait = (duration: string, startAfter?: string[]) => ({
  actionId: 'aws:fis:wait',
  parameters: { duration },
  ...(startAfter ? { startAfter } : {}),
});

describe('experiment lifecycle', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  it('runs actions in startAfter order: each starts when the ones it names have ended', async () => {
    const id = await startTemplate(kit, {
      targets: { api: { resourceType: 'aws:iam:role', resourceTags: { Role: 'api' }, selectionMode: 'ALL' } },
      actions: {
        first: wait('PT10S'),
        parallel: wait('PT5S'),
        inject: {
          actionId: 'aws:fis:inject-api-internal-error',
          parameters: { service: 'sqs', operations: 'SendMessage', percentage: '100', duration: 'PT20S' },
          targets: { Roles: 'api' },
          startAfter: ['first', 'parallel'],
        },
        last: { ...wait('PT1S'), startAfter: ['inject'] },
      },
    });
    await kit.clock.advance(0);
    let experiment = await getExperiment(kit, id);
    expect(Object.fromEntries(Object.entries(experiment.actions!).map(([n, a]) => [n, a.state!.status]))).toEqual({
      first: 'running',
      parallel: 'running',
      inject: 'pending',
      last: 'pending',
    });
    await kit.clock.advance(9_000);
    expect(kit.platform.apiFaults.active()).toEqual([]);
    await kit.clock.advance(1_000);
    expect(kit.platform.apiFaults.active()).toHaveLength(1);
    await kit.clock.advance(21_000);
    await kit.simulator.finished(id);
    experiment = await getExperiment(kit, id);
    const a = experiment.actions!;
    expect(Object.values(a).every((x) => x.state!.status === 'completed')).toBe(true);
    expect(a.inject.startTime!.getTime()).toBe(a.first.endTime!.getTime());
    expect(a.inject.startTime!.getTime()).toBeGreaterThan(a.parallel.endTime!.getTime());
    expect(a.last.startTime!.getTime()).toBe(a.inject.endTime!.getTime());
    expect(a.inject.endTime!.getTime() - a.inject.startTime!.getTime()).toBe(20_000);
    expect(experiment.state!.status).toBe('completed');
  });

  it('StopExperiment removes every fault in place and cancels the actions not started', async () => {
    const id = await startTemplate(kit, {
      targets: {
        roles: { resourceType: 'aws:iam:role', resourceTags: { Role: 'worker' }, selectionMode: 'ALL' },
        subnets: { resourceType: 'aws:ec2:subnet', resourceTags: { AZ: 'b' }, selectionMode: 'ALL' },
      },
      actions: {
        toxic: {
          actionId: 'local:toxiproxy:toxic',
          parameters: { proxy: 'dynamodb', type: 'latency', attributes: '{"latency":500,"jitter":50}', duration: 'PT5M' },
        },
        errors: {
          actionId: 'aws:fis:inject-api-throttle-error',
          parameters: { service: 'dynamodb', operations: 'UpdateItem', percentage: '30', duration: 'PT5M' },
          targets: { Roles: 'roles' },
        },
        cut: {
          actionId: 'aws:network:disrupt-connectivity',
          parameters: { proxies: 's3', duration: 'PT5M' },
          targets: { Subnets: 'subnets' },
        },
        later: { ...wait('PT1M'), startAfter: ['toxic'] },
      },
    });
    await kit.clock.advance(1_000);
    expect(kit.platform.network.toxics.size).toBe(2); // the service's proxy in each zone
    expect(kit.platform.apiFaults.active()).toHaveLength(1);
    expect(kit.platform.network.disabled.size).toBe(2);
    await kit.fis.send(new StopExperimentCommand({ id }));
    await kit.simulator.finished(id);
    expect(kit.platform.network.toxics.size).toBe(0);
    expect(kit.platform.apiFaults.active()).toEqual([]);
    expect(kit.platform.network.disabled.size).toBe(0);
    const experiment = await getExperiment(kit, id);
    expect(experiment.state).toEqual({ status: 'stopped', reason: 'Experiment stopped by user request.' });
    expect(experiment.actions!.toxic.state!.status).toBe('stopped');
    expect(experiment.actions!.errors.state!.status).toBe('stopped');
    expect(experiment.actions!.later.state).toEqual({ status: 'cancelled', reason: 'Experiment was stopped before the action started.' });
    expect(kit.clock.pending()).toBe(0);
  });

  it('a failing action fails the experiment, stops the others and cancels those not started', async () => {
    const id = await startTemplate(kit, {
      actions: {
        long: wait('PT10M'),
        broken: {
          actionId: 'local:toxiproxy:toxic',
          parameters: { proxy: 'nowhere', type: 'timeout', attributes: '{"timeout":0}', duration: 'PT1M' },
        },
        after: { ...wait('PT1S'), startAfter: ['long'] },
      },
    });
    await kit.simulator.finished(id);
    const experiment = await getExperiment(kit, id);
    expect(experiment.state!.status).toBe('failed');
    expect(experiment.actions!.broken.state!.status).toBe('failed');
    expect(experiment.actions!.long.state!.status).toBe('stopped');
    expect(experiment.actions!.after.state!.status).toBe('cancelled');
  });

  it('an empty target fails the experiment, or skips its actions with emptyTargetResolutionMode skip', async () => {
    const nobody = { resourceType: 'aws:ec2:instance', resourceTags: { Role: 'database' }, selectionMode: 'ALL' };
    const failing = await startTemplate(kit, {
      targets: { nobody },
      actions: { kill: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'nobody' } } },
    });
    await kit.simulator.finished(failing);
    const failed = await getExperiment(kit, failing);
    expect(failed.state).toEqual({ status: 'failed', reason: "Target resolution failed: target 'nobody' matched no resources." });
    expect(failed.actions!.kill.state!.status).toBe('cancelled');

    const skipping = await startTemplate(kit, {
      targets: { nobody },
      experimentOptions: { emptyTargetResolutionMode: 'skip' },
      actions: {
        kill: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'nobody' } },
        then: { ...wait('PT1S'), startAfter: ['kill'] },
      },
    });
    await kit.clock.advance(1_000);
    await kit.simulator.finished(skipping);
    const skipped = await getExperiment(kit, skipping);
    expect(skipped.state!.status).toBe('completed');
    expect(skipped.actions!.kill.state!.status).toBe('skipped');
    expect(skipped.actions!.then.state!.status).toBe('completed');
    expect(kit.platform.journal.filter((j) => j.startsWith('fleet.'))).toEqual([]);
  });

  it('stopping the simulator stops its experiments and removes their faults', async () => {
    await startTemplate(kit, {
      actions: {
        toxic: {
          actionId: 'local:toxiproxy:toxic',
          parameters: { proxy: 'sqs', type: 'bandwidth', attributes: '{"rate":10}', duration: 'PT1H' },
        },
      },
    });
    await kit.clock.advance(0);
    expect(kit.platform.network.toxics.size).toBe(2); // the service's proxy in each zone
    await kit.simulator.stop();
    expect(kit.platform.network.toxics.size).toBe(0);
  });
});
