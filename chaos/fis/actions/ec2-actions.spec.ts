import { FisTestKit, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';
import { getExperiment, startTemplate } from '@imagery/testing/fis/run-template';

describe('aws:ec2:* actions on the fleet', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit({ layout: { api: 3, worker: 2 } })));
  afterEach(() => kit.close());

  const runningApi = {
    resourceType: 'aws:ec2:instance',
    resourceTags: { Role: 'api' },
    filters: [{ path: 'State.Name', values: ['running'] }],
    selectionMode: 'COUNT(1)',
  };

  it('terminate-instances terminates COUNT(1) of the running instances tagged Role=api', async () => {
    await kit.platform.fleet.stop('i-api-3-3'); // a stopped api instance is filtered out by State.Name
    kit.platform.journal.length = 0;
    const id = await startTemplate(kit, {
      targets: { api: runningApi },
      actions: { kill: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'api' } } },
    });
    await kit.simulator.finished(id);
    const terminations = kit.platform.journal.filter((j) => j.startsWith('fleet.terminate'));
    expect(terminations).toHaveLength(1);
    expect(terminations[0]).toMatch(/^fleet\.terminate i-api-[12]-[12]$/);
    const victim = terminations[0].split(' ')[1];
    expect(kit.platform.fleet.instances().find((i) => i.id === victim)!.state).toBe('terminated');
    expect((await getExperiment(kit, id)).state!.status).toBe('completed');
  });

  it('terminate-instances with PERCENT(50) of two workers picks one, by resourceArns and ALL picks exactly those', async () => {
    const id = await startTemplate(kit, {
      targets: {
        half: { resourceType: 'aws:ec2:instance', resourceTags: { Role: 'worker' }, selectionMode: 'PERCENT(50)' },
        named: {
          resourceType: 'aws:ec2:instance',
          resourceArns: ['arn:aws:ec2:us-east-1:000000000000:instance/i-api-2-2'],
          selectionMode: 'ALL',
        },
      },
      actions: {
        workers: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'half' } },
        api: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'named' } },
      },
    });
    await kit.simulator.finished(id);
    const terminated = kit.platform.journal.filter((j) => j.startsWith('fleet.terminate')).sort();
    expect(terminated).toHaveLength(2);
    expect(terminated[0]).toBe('fleet.terminate i-api-2-2');
    expect(terminated[1]).toMatch(/^fleet\.terminate i-worker-/);
  });

  it('stop-instances stops, then starts again after startInstancesAfterDuration', async () => {
    const id = await startTemplate(kit, {
      targets: { az: { resourceType: 'aws:ec2:instance', resourceTags: { Role: 'api', AZ: 'a' }, selectionMode: 'ALL' } },
      actions: {
        freeze: { actionId: 'aws:ec2:stop-instances', parameters: { startInstancesAfterDuration: 'PT30S' }, targets: { Instances: 'az' } },
      },
    });
    await kit.clock.advance(0);
    const azA = ['i-api-1-1', 'i-api-3-3'];
    expect(
      kit.platform.fleet
        .instances()
        .filter((i) => azA.includes(i.id))
        .map((i) => i.state),
    ).toEqual(['stopped', 'stopped']);
    expect((await getExperiment(kit, id)).actions!.freeze.state!.status).toBe('running');
    await kit.clock.advance(29_000);
    expect(kit.platform.journal.filter((j) => j.startsWith('fleet.start'))).toEqual([]);
    await kit.clock.advance(1_000);
    await kit.simulator.finished(id);
    expect(kit.platform.journal.filter((j) => j.startsWith('fleet.start')).sort()).toEqual([
      'fleet.start i-api-1-1',
      'fleet.start i-api-3-3',
    ]);
    expect(kit.platform.fleet.instances().every((i) => i.state === 'running')).toBe(true);
    expect((await getExperiment(kit, id)).actions!.freeze.state!.status).toBe('completed');
  });

  it('stop-instances restarts the instances at once when the experiment is stopped', async () => {
    await startTemplate(kit, {
      targets: {
        one: {
          resourceType: 'aws:ec2:instance',
          resourceArns: ['arn:aws:ec2:us-east-1:000000000000:instance/i-worker-1-4'],
          selectionMode: 'ALL',
        },
      },
      actions: {
        freeze: { actionId: 'aws:ec2:stop-instances', parameters: { startInstancesAfterDuration: 'PT10M' }, targets: { Instances: 'one' } },
      },
    });
    await kit.clock.advance(1_000);
    expect(kit.platform.journal).toContain('fleet.stop i-worker-1-4');
    await kit.simulator.stop();
    expect(kit.platform.journal).toContain('fleet.start i-worker-1-4');
  });
});
