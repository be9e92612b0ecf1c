import { CreateExperimentTemplateCommand, GetExperimentCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import { FisTestKit, startFisTestKit } from '../fis/testing/fis-test-kit';
import { experimentTemplateNames, loadExperimentTemplate } from './load-experiment-template';

const EXPECTED = [
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
    expect(experimentTemplateNames()).toEqual(EXPECTED);
    for (const name of EXPECTED) {
      const template = loadExperimentTemplate(name);
      expect(template.description.length).toBeGreaterThan(20);
      expect(template.tags?.seed).toMatch(/^\d+$/);
      expect(template.tags?.Name).toBe(name);
    }
    expect(() => loadExperimentTemplate('nope')).toThrow(/no experiment template 'nope'; known: crash-between/);
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
