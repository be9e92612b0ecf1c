import { CreateExperimentTemplateCommand, GetExperimentCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import { FisTestKit, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';
import { experimentTemplateNames, loadExperimentTemplate, scenarioNames } from './load-experiment-template';

const SCENARIOS = ['az-application-slowdown', 'az-power-interruption', 'cross-az-traffic-slowdown', 'sqs-dynamodb-impairment'];

const EXPECTED = [
  ...SCENARIOS,
  'crash-between-render-and-record',
  'crash-between-update-and-send',
  'dynamodb-disrupt-connectivity',
  'dynamodb-latency',
  'kill-api',
  'kill-worker',
  's3-connection-reset',
  's3-disrupt-connectivity',
  'sendmessage-fails',
  'sqs-outage',
  'storm',
  'updateitem-fails-mid-transition',
];

describe('chaos/experiments templates', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  it('has every template the issue asks for, each with a description and a seed', () => {
    expect(experimentTemplateNames()).toEqual([...EXPECTED].sort());
    expect(scenarioNames()).toEqual(SCENARIOS);
    for (const name of EXPECTED) {
      const template = loadExperimentTemplate(name);
      expect(template.description.length).toBeGreaterThan(20);
      expect(template.tags?.seed).toMatch(/^\d+$/);
      expect(template.tags?.Name).toBe(name);
    }
    expect(() => loadExperimentTemplate('nope')).toThrow(
      /no experiment template 'nope'; known: az-application-slowdown, az-power-interruption/,
    );
  });

  it.each(EXPECTED)('%s validates through the simulator and runs to completion, leaving no fault behind', async (name) => {
    const { experimentTemplate } = await kit.fis.send(new CreateExperimentTemplateCommand(loadExperimentTemplate(name)));
    const { experiment } = await kit.fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate!.id }));
    await kit.clock.advance(10 * 60_000);
    await kit.simulator.finished(experiment!.id!);
    const done = (await kit.fis.send(new GetExperimentCommand({ id: experiment!.id }))).experiment!;
    expect(done.state).toEqual({ status: 'completed', reason: 'Experiment completed.' });
    expect(kit.platform.apiFaults.active()).toEqual([]);
    expect(kit.platform.network.toxics.size).toBe(0);
    expect(kit.platform.network.disabled.size).toBe(0);
  });
});

describe('chaos/experiments scenarios', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  it('az-power-interruption stops zone a, refuses launches there and cuts its network together, then brings it back', async () => {
    const { experimentTemplate } = await kit.fis.send(new CreateExperimentTemplateCommand(loadExperimentTemplate('az-power-interruption')));
    const { experiment } = await kit.fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate!.id }));
    await kit.clock.advance(0);
    expect(kit.platform.fleet.zonesWithoutCapacity).toEqual(new Set(['a']));
    expect(
      kit.platform.fleet
        .instances()
        .filter((i) => i.az === 'a')
        .map((i) => i.state),
    ).toEqual(['stopped', 'stopped']);
    expect([...kit.platform.network.disabled].sort()).toEqual(['api-1', 'dynamodb-a', 's3-a', 'sqs-a']);
    await kit.clock.advance(2 * 60_000);
    expect(kit.platform.fleet.zonesWithoutCapacity.size).toBe(0);
    expect(kit.platform.fleet.instances().every((i) => i.state === 'running')).toBe(true);
    expect(kit.platform.network.disabled.size).toBe(0);
    expect((await kit.fis.send(new GetExperimentCommand({ id: experiment!.id }))).experiment!.actions!.recovery.state!.status).toBe(
      'running',
    );
    await kit.clock.advance(30_000);
    await kit.simulator.finished(experiment!.id!);
  });

  it('storm is ordered by startAfter and reproducible from its seed', async () => {
    const run = async () => {
      const k = await startFisTestKit({ layout: { api: 3, worker: 4 } });
      try {
        const { experimentTemplate } = await k.fis.send(new CreateExperimentTemplateCommand(loadExperimentTemplate('storm')));
        const { experiment } = await k.fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate!.id }));
        await k.clock.advance(10 * 60_000);
        await k.simulator.finished(experiment!.id!);
        return k.platform.journal.map((line) => line.replace(experiment!.id!, 'EXP'));
      } finally {
        await k.close();
      }
    };
    const journal = await run();
    expect(await run()).toEqual(journal);
    const at = (prefix: string) => journal.findIndex((l) => l.startsWith(prefix));
    expect(at('fleet.terminate i-api')).toBeGreaterThan(at('network.addToxic dynamodb'));
    expect(at('fleet.terminate i-worker')).toBeGreaterThan(at('fleet.terminate i-api'));
    expect(at('network.addToxic s3')).toBeGreaterThan(at('fleet.terminate i-worker'));
    expect(at('network.setEnabled sqs false')).toBeGreaterThan(at('network.removeToxic s3'));
    expect(journal.filter((l) => l.startsWith('fleet.terminate i-worker'))).toHaveLength(2); // PERCENT(50) of 4
  });
});
