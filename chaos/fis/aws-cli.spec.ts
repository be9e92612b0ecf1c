import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCliPath, awsFis } from '@imagery/testing/fis/aws-cli';
import { FisTestKit, ROLE_ARN, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';

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

  const fis = (...args: string[]) => awsFis(cli, kit.simulator.url, args);

  // Each CLI call starts a Python interpreter (1-3 s on a busy machine): generous timeouts.
  it('creates a template, starts it, follows it, lists its resolved targets, stops it and deletes the template', async () => {
    const file = join(dir, 'template.json');
    writeFileSync(
      file,
      JSON.stringify({
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
      }),
    );
    const { experimentTemplate } = await fis('create-experiment-template', '--cli-input-json', `file://${file}`);
    expect(experimentTemplate.id).toMatch(/^EXT/);
    expect(experimentTemplate.experimentOptions).toEqual({ accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' });
    expect((await fis('list-experiment-templates')).experimentTemplates.map((t: { id: string }) => t.id)).toEqual([experimentTemplate.id]);

    const { experiment } = await fis('start-experiment', '--experiment-template-id', experimentTemplate.id, '--tags', 'run=cli');
    expect(experiment.state.status).toBe('initiating');
    await kit.clock.advance(0);
    const running = (await fis('get-experiment', '--id', experiment.id)).experiment;
    expect(running.state.status).toBe('running');
    expect(running.actions.cut.state.status).toBe('running');
    expect(running.actions.kill.state.status).toBe('pending');
    expect(kit.platform.network.disabled).toEqual(new Set(['dynamodb-a']));

    const resolved = (await fis('list-experiment-resolved-targets', '--experiment-id', experiment.id)).resolvedTargets;
    expect(resolved.map((r: { targetName: string }) => r.targetName).sort()).toEqual(['subnet-a', 'workers']);
    expect(resolved.find((r: { targetName: string }) => r.targetName === 'workers').targetInformation.identifier).toMatch(
      /:instance\/i-worker-/,
    );
    const workersOnly = (await fis('list-experiment-resolved-targets', '--experiment-id', experiment.id, '--target-name', 'workers'))
      .resolvedTargets;
    expect(workersOnly).toHaveLength(1);

    expect((await fis('stop-experiment', '--id', experiment.id)).experiment.state.status).toBe('stopping');
    await kit.simulator.finished(experiment.id);
    const stopped = (await fis('get-experiment', '--id', experiment.id)).experiment;
    expect(stopped.state).toEqual({ status: 'stopped', reason: 'Experiment stopped by user request.' });
    expect(stopped.actions.kill.state.status).toBe('cancelled');
    expect(kit.platform.network.disabled.size).toBe(0);
    expect(stopped.tags).toEqual({ run: 'cli' });
    expect((await fis('list-experiments')).experiments.map((e: { id: string }) => e.id)).toEqual([experiment.id]);

    await expect(fis('stop-experiment', '--id', experiment.id)).rejects.toThrow(/ConflictException/);
    await fis('delete-experiment-template', '--id', experimentTemplate.id);
    await expect(fis('get-experiment-template', '--id', experimentTemplate.id)).rejects.toThrow(/ResourceNotFoundException.*not found/);
  }, 300_000);

  it('reads actions and resource types, and works the safety lever', async () => {
    const { actions } = await fis('list-actions');
    expect(actions.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining(['aws:ec2:send-spot-instance-interruptions', 'aws:ssm:send-command', 'aws:network:disrupt-connectivity']),
    );
    expect((await fis('get-action', '--id', 'aws:ec2:stop-instances')).action.parameters.startInstancesAfterDuration.required).toBe(false);
    expect((await fis('get-target-resource-type', '--resource-type', 'aws:ec2:spot-instance')).targetResourceType.resourceType).toBe(
      'aws:ec2:spot-instance',
    );

    expect((await fis('get-safety-lever', '--id', 'default')).safetyLever.state.status).toBe('disengaged');
    const engaged = await fis('update-safety-lever-state', '--id', 'default', '--state', 'status=engaged,reason=freeze');
    expect(engaged.safetyLever.state).toEqual({ status: 'engaging', reason: 'freeze' });
    await expect(fis('update-safety-lever-state', '--id', 'default', '--state', 'status=engaged,reason=again')).rejects.toThrow(
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
    await expect(fis('create-experiment-template', '--cli-input-json', `file://${file}`)).rejects.toThrow(
      /ValidationException.*unknown action id 'aws:ec2:melt-instances'/,
    );
  }, 60_000);
});
