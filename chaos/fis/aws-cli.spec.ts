import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { awsCliPath, awsFis } from '@imagery/testing/fis/aws-cli';
import { FisTestKit, ROLE_ARN, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';

/**
 * The CLI's answers these tests read, checked as they are read. Objects are passthrough: fields not
 * named here are kept, so an assertion on a whole answer still sees every field the CLI printed.
 */
const stateOf = z.object({ status: z.string() }).passthrough();
const withId = z.object({ id: z.string() }).passthrough();
const templateAnswer = z.object({ experimentTemplate: withId });
const templatesAnswer = z.object({ experimentTemplates: z.array(withId) });
const experimentAnswer = z.object({
  experiment: z
    .object({ id: z.string(), state: stateOf, actions: z.record(z.object({ state: stateOf }).passthrough()).optional() })
    .passthrough(),
});
const experimentsAnswer = z.object({ experiments: z.array(withId) });
const resolvedTarget = z.object({ targetName: z.string(), targetInformation: z.record(z.string()) }).passthrough();
const resolvedTargetsAnswer = z.object({ resolvedTargets: z.array(resolvedTarget) });
const actionsAnswer = z.object({ actions: z.array(withId) });
const actionAnswer = z.object({
  action: z.object({ parameters: z.record(z.object({ required: z.boolean() }).passthrough()) }).passthrough(),
});
const resourceTypeAnswer = z.object({ targetResourceType: z.object({ resourceType: z.string() }).passthrough() });
const safetyLeverAnswer = z.object({ safetyLever: z.object({ state: stateOf }).passthrough() });

/** Slow zone a, then kill a worker: a template with two targets and two actions, one after the other. */
const CLI_TEMPLATE = {
  description: 'cli: slow zone a, then kill a worker',
  roleArn: ROLE_ARN,
  stopConditions: [{ source: 'none' }],
  targets: {
    workers: {
      resourceType: 'aws:ec2:instance',
      resourceTags: { Role: 'worker' },
      filters: [{ path: 'State.Name', values: ['running'] }],
      selectionMode: 'COUNT(1)',
    },
    'subnet-a': { resourceType: 'aws:ec2:subnet', resourceTags: { AZ: 'a' }, selectionMode: 'ALL' },
  },
  actions: {
    cut: {
      actionId: 'aws:network:disrupt-connectivity',
      parameters: { scope: 'dynamodb', duration: 'PT10M' },
      targets: { Subnets: 'subnet-a' },
    },
    kill: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'workers' }, startAfter: ['cut'] },
  },
  tags: { Name: 'cli', seed: '5' },
};

/** The AWS CLI (botocore's serializers and parsers, not ours) drives a whole experiment through the simulator. */
describe('the AWS CLI against the FIS simulator', () => {
  let kit: FisTestKit;
  let cli: string;
  let dir: string;
  beforeAll(() => {
    cli = awsCliPath();
    dir = mkdtempSync(join(tmpdir(), 'fis-cli-'));
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  /** Runs `aws fis <args>` and reads its answer with `answer`. */
  const fis = async <T>(answer: z.ZodType<T>, ...args: string[]): Promise<T> => answer.parse(await awsFis(cli, kit.simulator.url, args));
  /** For calls whose answer is not read. */
  const fisCall = (...args: string[]) => fis(z.unknown(), ...args);

  // Each CLI call starts a Python interpreter (1-3 s on a busy machine): generous timeouts.
  it('creates a template, starts it, follows it, lists its resolved targets, stops it and deletes the template', async () => {
    const file = join(dir, 'template.json');
    writeFileSync(file, JSON.stringify(CLI_TEMPLATE));
    const { experimentTemplate } = await fis(templateAnswer, 'create-experiment-template', '--cli-input-json', `file://${file}`);
    expect(experimentTemplate.id).toMatch(/^EXT/);
    expect(experimentTemplate.experimentOptions).toEqual({ accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' });
    expect((await fis(templatesAnswer, 'list-experiment-templates')).experimentTemplates.map((t) => t.id)).toEqual([experimentTemplate.id]);

    const { experiment } = await fis(
      experimentAnswer,
      'start-experiment',
      '--experiment-template-id',
      experimentTemplate.id,
      '--tags',
      'run=cli',
    );
    expect(experiment.state.status).toBe('initiating');
    await kit.clock.advance(0);
    const running = (await fis(experimentAnswer, 'get-experiment', '--id', experiment.id)).experiment;
    expect(running.state.status).toBe('running');
    expect(running.actions?.cut.state.status).toBe('running');
    expect(running.actions?.kill.state.status).toBe('pending');
    expect(kit.platform.network.disabled).toEqual(new Set(['dynamodb-a']));

    const resolved = (await fis(resolvedTargetsAnswer, 'list-experiment-resolved-targets', '--experiment-id', experiment.id))
      .resolvedTargets;
    expect(resolved.map((r) => r.targetName).sort()).toEqual(['subnet-a', 'workers']);
    expect(resolved.find((r) => r.targetName === 'workers')?.targetInformation.identifier).toMatch(/:instance\/i-worker-/);
    const workersOnly = (
      await fis(resolvedTargetsAnswer, 'list-experiment-resolved-targets', '--experiment-id', experiment.id, '--target-name', 'workers')
    ).resolvedTargets;
    expect(workersOnly).toHaveLength(1);

    expect((await fis(experimentAnswer, 'stop-experiment', '--id', experiment.id)).experiment.state.status).toBe('stopping');
    await kit.simulator.finished(experiment.id);
    const stopped = (await fis(experimentAnswer, 'get-experiment', '--id', experiment.id)).experiment;
    expect(stopped.state).toEqual({ status: 'stopped', reason: 'Experiment stopped by user request.' });
    expect(stopped.actions?.kill.state.status).toBe('cancelled');
    expect(kit.platform.network.disabled.size).toBe(0);
    expect(stopped.tags).toEqual({ run: 'cli' });
    expect((await fis(experimentsAnswer, 'list-experiments')).experiments.map((e) => e.id)).toEqual([experiment.id]);

    await expect(fisCall('stop-experiment', '--id', experiment.id)).rejects.toThrow(/ConflictException/);
    await fisCall('delete-experiment-template', '--id', experimentTemplate.id);
    await expect(fisCall('get-experiment-template', '--id', experimentTemplate.id)).rejects.toThrow(/ResourceNotFoundException.*not found/);
  }, 300_000);

  it('reads actions and resource types, and works the safety lever', async () => {
    const { actions } = await fis(actionsAnswer, 'list-actions');
    expect(actions.map((a) => a.id)).toEqual(
      expect.arrayContaining(['aws:ec2:send-spot-instance-interruptions', 'aws:ssm:send-command', 'aws:network:disrupt-connectivity']),
    );
    const stopInstances = (await fis(actionAnswer, 'get-action', '--id', 'aws:ec2:stop-instances')).action;
    expect(stopInstances.parameters.startInstancesAfterDuration?.required).toBe(false);
    expect(
      (await fis(resourceTypeAnswer, 'get-target-resource-type', '--resource-type', 'aws:ec2:spot-instance')).targetResourceType
        .resourceType,
    ).toBe('aws:ec2:spot-instance');

    expect((await fis(safetyLeverAnswer, 'get-safety-lever', '--id', 'default')).safetyLever.state.status).toBe('disengaged');
    const engaged = await fis(safetyLeverAnswer, 'update-safety-lever-state', '--id', 'default', '--state', 'status=engaged,reason=freeze');
    expect(engaged.safetyLever.state).toEqual({ status: 'engaging', reason: 'freeze' });
    await expect(fisCall('update-safety-lever-state', '--id', 'default', '--state', 'status=engaged,reason=again')).rejects.toThrow(
      /ConflictException/,
    );
  }, 120_000);

  it('gets validation errors as FIS words them', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        description: 'bad',
        roleArn: ROLE_ARN,
        stopConditions: [{ source: 'none' }],
        actions: { a: { actionId: 'aws:ec2:melt-instances' } },
      }),
    );
    await expect(fisCall('create-experiment-template', '--cli-input-json', `file://${file}`)).rejects.toThrow(
      /ValidationException.*unknown action id 'aws:ec2:melt-instances'/,
    );
  }, 60_000);
});
