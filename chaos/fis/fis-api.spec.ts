import {
  CreateExperimentTemplateCommand,
  DeleteExperimentTemplateCommand,
  GetActionCommand,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  ListActionsCommand,
  ListExperimentResolvedTargetsCommand,
  ListExperimentsCommand,
  ListExperimentTemplatesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  StartExperimentCommand,
  StopExperimentCommand,
  TagResourceCommand,
  UpdateExperimentTemplateCommand,
  ConflictException,
} from '@aws-sdk/client-fis';
import { FisTestKit, ROLE_ARN, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';

/** The FIS API through the real @aws-sdk/client-fis: only the endpoint differs from AWS. */
describe('FIS simulator API (through @aws-sdk/client-fis)', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  const waitTemplate = (description = 'wait a bit') => ({
    description,
    roleArn: ROLE_ARN,
    stopConditions: [{ source: 'none' }],
    actions: { pause: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' } } },
    tags: { team: 'chaos' },
  });

  it('creates, gets, lists, updates and deletes experiment templates', async () => {
    const created = await kit.fis.send(new CreateExperimentTemplateCommand(waitTemplate()));
    const template = created.experimentTemplate!;
    expect(template.id).toMatch(/^EXT[A-Za-z0-9]{14}$/);
    expect(template.creationTime).toBeInstanceOf(Date);
    expect(template.actions).toEqual({ pause: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' } } });
    expect(template.experimentOptions).toEqual({ accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' });
    expect(template.tags).toEqual({ team: 'chaos' });

    const got = await kit.fis.send(new GetExperimentTemplateCommand({ id: template.id }));
    expect(got.experimentTemplate).toEqual(template);

    await kit.fis.send(new CreateExperimentTemplateCommand(waitTemplate('another')));
    const listed = await kit.fis.send(new ListExperimentTemplatesCommand({}));
    expect(listed.experimentTemplates!.map((t) => t.description)).toEqual(['wait a bit', 'another']);
    const firstPage = await kit.fis.send(new ListExperimentTemplatesCommand({ maxResults: 1 }));
    expect(firstPage.experimentTemplates).toHaveLength(1);
    const secondPage = await kit.fis.send(new ListExperimentTemplatesCommand({ maxResults: 1, nextToken: firstPage.nextToken }));
    expect(secondPage.experimentTemplates![0].description).toBe('another');
    expect(secondPage.nextToken).toBeUndefined();

    const updated = await kit.fis.send(
      new UpdateExperimentTemplateCommand({
        id: template.id,
        description: 'wait longer',
        actions: {
          pause: { actionId: 'aws:fis:wait', parameters: { duration: 'PT2M' } },
          more: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1S' }, startAfter: ['pause'] },
        },
      }),
    );
    expect(updated.experimentTemplate!.description).toBe('wait longer');
    expect(Object.keys(updated.experimentTemplate!.actions!)).toEqual(['pause', 'more']);
    // An entry sent without its actionId removes it.
    const removed = await kit.fis.send(new UpdateExperimentTemplateCommand({ id: template.id, actions: { more: {} } }));
    expect(Object.keys(removed.experimentTemplate!.actions!)).toEqual(['pause']);

    const deleted = await kit.fis.send(new DeleteExperimentTemplateCommand({ id: template.id }));
    expect(deleted.experimentTemplate!.id).toBe(template.id);
    await expect(kit.fis.send(new GetExperimentTemplateCommand({ id: template.id }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('makes CreateExperimentTemplate and StartExperiment idempotent by clientToken', async () => {
    const a = await kit.fis.send(new CreateExperimentTemplateCommand({ ...waitTemplate(), clientToken: 'token-1' }));
    const b = await kit.fis.send(new CreateExperimentTemplateCommand({ ...waitTemplate(), clientToken: 'token-1' }));
    expect(b.experimentTemplate!.id).toBe(a.experimentTemplate!.id);
    await expect(
      kit.fis.send(new CreateExperimentTemplateCommand({ ...waitTemplate('changed'), clientToken: 'token-1' })),
    ).rejects.toBeInstanceOf(ConflictException);

    const start = { experimentTemplateId: a.experimentTemplate!.id, clientToken: 'run-1' };
    const x = await kit.fis.send(new StartExperimentCommand(start));
    const y = await kit.fis.send(new StartExperimentCommand(start));
    expect(y.experiment!.id).toBe(x.experiment!.id);
    expect((await kit.fis.send(new ListExperimentsCommand({}))).experiments).toHaveLength(1);
  });

  it('starts, gets, lists and stops experiments with FIS states and timestamps', async () => {
    const { experimentTemplate } = await kit.fis.send(new CreateExperimentTemplateCommand(waitTemplate()));
    const started = await kit.fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate!.id, tags: { run: '1' } }));
    const experiment = started.experiment!;
    expect(experiment.id).toMatch(/^EXP[A-Za-z0-9]{14}$/);
    expect(experiment.state!.status).toBe('initiating');
    expect(experiment.experimentTemplateId).toBe(experimentTemplate!.id);
    expect(experiment.actions!.pause.state!.status).toBe('pending');
    expect(experiment.tags).toEqual({ run: '1' });

    await kit.clock.advance(10_000);
    const running = (await kit.fis.send(new GetExperimentCommand({ id: experiment.id }))).experiment!;
    expect(running.state).toEqual({ status: 'running', reason: 'Experiment is running.' });
    expect(running.startTime).toBeInstanceOf(Date);
    expect(running.actions!.pause.state!.status).toBe('running');
    expect(running.actions!.pause.startTime).toBeInstanceOf(Date);

    const listed = await kit.fis.send(new ListExperimentsCommand({}));
    expect(listed.experiments!.map((e) => [e.id, e.state!.status])).toEqual([[experiment.id, 'running']]);

    const stopping = await kit.fis.send(new StopExperimentCommand({ id: experiment.id }));
    expect(['stopping', 'stopped']).toContain(stopping.experiment!.state!.status);
    await kit.simulator.finished(experiment.id!);
    const stopped = (await kit.fis.send(new GetExperimentCommand({ id: experiment.id }))).experiment!;
    expect(stopped.state!.status).toBe('stopped');
    expect(stopped.actions!.pause.state!.status).toBe('stopped');
    expect(stopped.endTime!.getTime()).toBeGreaterThanOrEqual(stopped.startTime!.getTime());
    await expect(kit.fis.send(new StopExperimentCommand({ id: experiment.id }))).rejects.toBeInstanceOf(ConflictException);
  });

  it('runs an experiment to completion and records its resolved targets', async () => {
    const { experimentTemplate } = await kit.fis.send(
      new CreateExperimentTemplateCommand({
        description: 'kill one api',
        roleArn: ROLE_ARN,
        stopConditions: [{ source: 'none' }],
        targets: { api: { resourceType: 'aws:ec2:instance', resourceTags: { Role: 'api' }, selectionMode: 'COUNT(1)' } },
        actions: { kill: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'api' } } },
      }),
    );
    const { experiment } = await kit.fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate!.id }));
    await kit.simulator.finished(experiment!.id!);
    const done = (await kit.fis.send(new GetExperimentCommand({ id: experiment!.id }))).experiment!;
    expect(done.state).toEqual({ status: 'completed', reason: 'Experiment completed.' });
    expect(done.actions!.kill.state!.status).toBe('completed');
    const resolved = await kit.fis.send(new ListExperimentResolvedTargetsCommand({ experimentId: experiment!.id }));
    expect(resolved.resolvedTargets).toEqual([
      {
        resourceType: 'aws:ec2:instance',
        targetName: 'api',
        targetInformation: { identifier: expect.stringMatching(/^arn:aws:ec2:us-east-1:000000000000:instance\/i-api-/) as unknown },
      },
    ]);
  });

  it('lists and describes the supported actions', async () => {
    const { actions } = await kit.fis.send(new ListActionsCommand({}));
    expect(actions!.map((a) => a.id)).toEqual(
      expect.arrayContaining([
        'aws:ec2:terminate-instances',
        'aws:ec2:stop-instances',
        'aws:fis:inject-api-internal-error',
        'aws:fis:inject-api-unavailable-error',
        'aws:fis:inject-api-throttle-error',
        'aws:fis:wait',
        'aws:network:disrupt-connectivity',
        'local:toxiproxy:toxic',
        'local:api:ambiguous',
        'local:process:crash-at',
      ]),
    );
    const { action } = await kit.fis.send(new GetActionCommand({ id: 'aws:ec2:stop-instances' }));
    expect(action!.targets).toEqual({ Instances: { resourceType: 'aws:ec2:instance' } });
    expect(action!.parameters!.startInstancesAfterDuration).toEqual({ description: expect.any(String) as unknown, required: false });
    const inject = await kit.fis.send(new GetActionCommand({ id: 'aws:fis:inject-api-internal-error' }));
    expect(Object.keys(inject.action!.parameters!)).toEqual(['service', 'operations', 'percentage', 'duration']);
    expect(inject.action!.targets).toEqual({ Roles: { resourceType: 'aws:iam:role' } });
    await expect(kit.fis.send(new GetActionCommand({ id: 'aws:nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('tags templates and experiments by ARN', async () => {
    const { experimentTemplate } = await kit.fis.send(new CreateExperimentTemplateCommand(waitTemplate()));
    const arn =
      (experimentTemplate as { arn?: string }).arn ?? `arn:aws:fis:us-east-1:000000000000:experiment-template/${experimentTemplate!.id}`;
    await kit.fis.send(new TagResourceCommand({ resourceArn: arn, tags: { owner: 'me' } }));
    expect((await kit.fis.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ team: 'chaos', owner: 'me' });
  });
});
