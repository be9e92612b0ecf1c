import {
  CreateTargetAccountConfigurationCommand,
  GetExperimentTargetAccountConfigurationCommand,
  GetTargetAccountConfigurationCommand,
  GetTargetResourceTypeCommand,
  ListExperimentResolvedTargetsCommand,
  ListExperimentTargetAccountConfigurationsCommand,
  ListTargetAccountConfigurationsCommand,
  ListTargetResourceTypesCommand,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-fis';
import { existsSync, readFileSync } from 'node:fs';
import { fisHttp } from '@imagery/testing/fis/fis-http';
import { FisTestKit, ROLE_ARN, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';
import { getExperiment, startTemplate } from '@imagery/testing/fis/run-template';

/** The parts of the FIS API beyond templates and experiments: safety lever, experiment options, reports, multi-account answers. */
describe('FIS control-plane fidelity', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  const toxicTemplate = {
    description: 'slow dynamodb',
    roleArn: ROLE_ARN,
    stopConditions: [{ source: 'none' }],
    actions: {
      slow: {
        actionId: 'local:toxiproxy:toxic',
        parameters: { proxy: 'dynamodb', type: 'latency', attributes: '{"latency":100}', duration: 'PT10M' },
      },
    },
  };
  const createTemplate = async (template: object = toxicTemplate) =>
    (await fisHttp(kit, 'POST', '/experimentTemplates', { clientToken: String(Math.random()), ...template })).body.experimentTemplate
      .id as string;
  const startExperiment = async (templateId: string, experimentOptions?: object) =>
    (
      await fisHttp(kit, 'POST', '/experiments', {
        clientToken: String(Math.random()),
        experimentTemplateId: templateId,
        ...(experimentOptions ? { experimentOptions } : {}),
      })
    ).body.experiment;

  describe('the safety lever (plain HTTP: client-fis 3.523 has no GetSafetyLever / UpdateSafetyLeverState)', () => {
    it('engaging it stops running experiments, removes their faults and cancels experiments started while engaged', async () => {
      expect((await fisHttp(kit, 'GET', '/safetyLevers/default')).body).toEqual({
        safetyLever: {
          id: 'default',
          arn: 'arn:aws:fis:us-east-1:000000000000:safety-lever/default',
          state: { status: 'disengaged', reason: expect.any(String) },
        },
      });
      const templateId = await createTemplate();
      const running = await startExperiment(templateId);
      await kit.clock.advance(0);
      expect(kit.platform.network.toxics.size).toBe(2);

      const engaged = await fisHttp(kit, 'PATCH', '/safetyLevers/default/state', {
        state: { status: 'engaged', reason: 'game day is over' },
      });
      expect(engaged.status).toBe(200);
      expect(engaged.body.safetyLever.state).toEqual({ status: 'engaging', reason: 'game day is over' });
      await kit.simulator.finished(running.id);
      expect(kit.platform.network.toxics.size).toBe(0);
      expect((await getExperiment(kit, running.id)).state).toEqual({
        status: 'stopped',
        reason: 'Experiment stopped by the safety lever: game day is over',
      });
      expect((await fisHttp(kit, 'GET', '/safetyLevers/default')).body.safetyLever.state).toEqual({
        status: 'engaged',
        reason: 'game day is over',
      });

      const refused = await startExperiment(templateId);
      await kit.simulator.finished(refused.id);
      const cancelled = await getExperiment(kit, refused.id);
      expect(cancelled.state).toEqual({ status: 'cancelled', reason: 'Experiment was cancelled because the safety lever is engaged.' });
      expect(cancelled.actions!.slow.state!.status).toBe('cancelled');
      expect(kit.platform.journal.filter((j) => j.startsWith('network.addToxic'))).toHaveLength(1);

      const again = await fisHttp(kit, 'PATCH', '/safetyLevers/default/state', { state: { status: 'engaged', reason: 'still' } });
      expect([again.status, again.errorType]).toEqual([409, 'ConflictException']);
      await fisHttp(kit, 'PATCH', '/safetyLevers/default/state', { state: { status: 'disengaged', reason: 'next game day' } });
      const allowed = await startExperiment(templateId);
      await kit.clock.advance(0);
      expect((await getExperiment(kit, allowed.id)).state!.status).toBe('running');
    });

    it('answers bad requests as FIS does', async () => {
      const unknown = await fisHttp(kit, 'GET', '/safetyLevers/other');
      expect([unknown.status, unknown.errorType]).toEqual([404, 'ResourceNotFoundException']);
      const bad = await fisHttp(kit, 'PATCH', '/safetyLevers/default/state', { state: { status: 'on', reason: 'x' } });
      expect([bad.status, bad.errorType, bad.body.message]).toEqual([
        400,
        'ValidationException',
        'state.status: "on" must be one of engaged, disengaged',
      ]);
      const noReason = await fisHttp(kit, 'PATCH', '/safetyLevers/default/state', { state: { status: 'engaged' } });
      expect([noReason.status, noReason.body.message]).toEqual([400, 'state.reason: Required']);
    });
  });

  describe('experiment options', () => {
    const fleetTemplate = {
      description: 'kill az a',
      roleArn: ROLE_ARN,
      stopConditions: [{ source: 'none' }],
      targets: {
        azA: {
          resourceType: 'aws:ec2:instance',
          resourceTags: { AZ: 'a' },
          filters: [{ path: 'State.Name', values: ['running'] }],
          selectionMode: 'ALL',
        },
      },
      actions: {
        kill: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'azA' } },
        after: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['kill'] },
      },
    };

    it('actionsMode skip-all is a dry run: targets are resolved and listed, every action skipped, nothing injected', async () => {
      const experiment = await startExperiment(await createTemplate(fleetTemplate), { actionsMode: 'skip-all' });
      expect(experiment.experimentOptions).toEqual({
        accountTargeting: 'single-account',
        emptyTargetResolutionMode: 'fail',
        actionsMode: 'skip-all',
      });
      await kit.simulator.finished(experiment.id);
      const done = await getExperiment(kit, experiment.id);
      expect(done.state!.status).toBe('completed');
      expect(Object.values(done.actions!).map((a) => a.state)).toEqual([
        { status: 'skipped', reason: 'Action was skipped because actionsMode is skip-all.' },
        { status: 'skipped', reason: 'Action was skipped because actionsMode is skip-all.' },
      ]);
      expect(kit.platform.journal).toEqual([]);
      const { resolvedTargets } = await kit.fis.send(new ListExperimentResolvedTargetsCommand({ experimentId: experiment.id }));
      expect(resolvedTargets!.map((t) => t.targetInformation!.identifier).sort()).toEqual([
        'arn:aws:ec2:us-east-1:000000000000:instance/i-api-1-1',
        'arn:aws:ec2:us-east-1:000000000000:instance/i-worker-1-3',
      ]);
      expect(kit.logs).toContainEqual(
        expect.stringMatching(/kill \(aws:ec2:terminate-instances\): dry run, would run on Instances=i-api-1-1,i-worker-1-3/),
      );
    });

    it('run-all is the default; other modes and template-level actionsMode are refused', async () => {
      const templateId = await createTemplate(fleetTemplate);
      const bad = await fisHttp(kit, 'POST', '/experiments', {
        experimentTemplateId: templateId,
        experimentOptions: { actionsMode: 'some' },
      });
      expect([bad.status, bad.errorType]).toEqual([400, 'ValidationException']);
      expect(bad.body.message).toMatch(/^experimentOptions\.actionsMode: /);
      const onTemplate = await fisHttp(kit, 'POST', '/experimentTemplates', {
        ...fleetTemplate,
        experimentOptions: { actionsMode: 'skip-all' },
      });
      expect([onTemplate.status, onTemplate.errorType]).toEqual([400, 'ValidationException']);
      const experiment = await startExperiment(templateId);
      expect(experiment.experimentOptions.actionsMode).toBe('run-all');
      await kit.clock.advance(60_000);
      await kit.simulator.finished(experiment.id);
      expect(kit.platform.journal).toEqual(['fleet.terminate i-api-1-1', 'fleet.terminate i-worker-1-3']);
    });

    it('accountTargeting multi-account is refused: the simulator is one account', async () => {
      const res = await fisHttp(kit, 'POST', '/experimentTemplates', {
        ...fleetTemplate,
        experimentOptions: { accountTargeting: 'multi-account' },
      });
      expect([res.status, res.body.message]).toEqual([400, 'experimentOptions.accountTargeting: multi-account is not supported locally']);
    });
  });

  describe('experiment reports (experimentReportConfiguration)', () => {
    const reported = (bucketName: string) => ({
      ...toxicTemplate,
      actions: { pause: { actionId: 'aws:fis:wait', parameters: { duration: 'PT30S' } } },
      experimentReportConfiguration: {
        outputs: { s3Configuration: { bucketName, prefix: 'runs' } },
        preExperimentDuration: 'PT1M',
        postExperimentDuration: 'PT10S',
      },
    });

    it('writes the report to the S3 bucket after the post-experiment window, and locally', async () => {
      const templateId = await createTemplate(reported('fis-reports'));
      const template = (await fisHttp(kit, 'GET', `/experimentTemplates/${templateId}`)).body.experimentTemplate;
      expect(template.experimentReportConfiguration.outputs).toEqual({ s3Configuration: { bucketName: 'fis-reports', prefix: 'runs' } });
      const experiment = await startExperiment(templateId);
      expect(experiment.experimentReport).toEqual({ state: { status: 'pending', reason: 'Report generation is pending.' }, s3Reports: [] });
      await kit.clock.advance(30_000);
      expect((await fisHttp(kit, 'GET', `/experiments/${experiment.id}`)).body.experiment.experimentReport.state.status).toBe('pending');
      await kit.clock.advance(10_000);
      await kit.simulator.finished(experiment.id);
      const { experimentReport } = (await fisHttp(kit, 'GET', `/experiments/${experiment.id}`)).body.experiment;
      const key = `runs/${experiment.id}/experiment-report.json`;
      expect(experimentReport).toEqual({
        state: { status: 'completed', reason: 'Report generation is complete.' },
        s3Reports: [{ arn: `arn:aws:s3:::fis-reports/${key}`, reportType: 'application/json' }],
      });
      const stored = JSON.parse(kit.platform.reportStore.objects.get(`fis-reports/${key}`)!.body);
      expect(stored).toMatchObject({
        experimentId: experiment.id,
        state: { status: 'completed' },
        actions: { pause: { actionId: 'aws:fis:wait', state: { status: 'completed' } } },
      });
      expect(Date.parse(stored.reportWindow.to) - Date.parse(stored.reportWindow.from)).toBe(60_000 + 30_000 + 10_000);
      const local = `${kit.reportDir}/${experiment.id}/experiment-report.json`;
      expect(existsSync(local) && JSON.parse(readFileSync(local, 'utf8'))).toEqual(stored);
    });

    it('a missing bucket fails the report, not the experiment; a malformed configuration is refused', async () => {
      const experiment = await startExperiment(await createTemplate(reported('no-such-bucket')));
      await kit.clock.advance(40_000);
      await kit.simulator.finished(experiment.id);
      const got = (await fisHttp(kit, 'GET', `/experiments/${experiment.id}`)).body.experiment;
      expect(got.state.status).toBe('completed');
      expect(got.experimentReport.state).toEqual({
        status: 'failed',
        reason: expect.stringMatching(/NoSuchBucket/),
        error: { code: 'ReportGenerationFailed' },
      });
      const bad = await fisHttp(kit, 'POST', '/experimentTemplates', {
        ...reported('Bad_Bucket'),
        experimentReportConfiguration: { outputs: { s3Configuration: { bucketName: 'Bad_Bucket' } }, postExperimentDuration: '10m' },
      });
      expect([bad.status, bad.errorType]).toEqual([400, 'ValidationException']);
      expect(bad.body.message).toMatch(/bucketName: must be an S3 bucket name/);
      expect(bad.body.message).toMatch(/postExperimentDuration: must be an ISO 8601 duration/);
    });
  });

  describe('multi-account operations, answered as FIS answers them for a single-account template', () => {
    it('lists none, gets none, refuses to create one', async () => {
      const templateId = await createTemplate();
      expect(
        (await kit.fis.send(new ListTargetAccountConfigurationsCommand({ experimentTemplateId: templateId }))).targetAccountConfigurations,
      ).toEqual([]);
      await expect(
        kit.fis.send(new GetTargetAccountConfigurationCommand({ experimentTemplateId: templateId, accountId: '111122223333' })),
      ).rejects.toBeInstanceOf(ResourceNotFoundException);
      await expect(
        kit.fis.send(
          new CreateTargetAccountConfigurationCommand({ experimentTemplateId: templateId, accountId: '111122223333', roleArn: ROLE_ARN }),
        ),
      ).rejects.toBeInstanceOf(ValidationException);
      await expect(kit.fis.send(new ListTargetAccountConfigurationsCommand({ experimentTemplateId: 'EXTnope' }))).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
      const experiment = await startExperiment(templateId);
      expect(
        (await kit.fis.send(new ListExperimentTargetAccountConfigurationsCommand({ experimentId: experiment.id })))
          .targetAccountConfigurations,
      ).toEqual([]);
      await expect(
        kit.fis.send(new GetExperimentTargetAccountConfigurationCommand({ experimentId: experiment.id, accountId: '111122223333' })),
      ).rejects.toBeInstanceOf(ResourceNotFoundException);
    });
  });

  it('lists and describes the target resource types', async () => {
    const { targetResourceTypes } = await kit.fis.send(new ListTargetResourceTypesCommand({}));
    expect(targetResourceTypes!.map((t) => t.resourceType).sort()).toEqual([
      'aws:ec2:autoscaling-group',
      'aws:ec2:instance',
      'aws:ec2:spot-instance',
      'aws:ec2:subnet',
      'aws:iam:role',
    ]);
    const { targetResourceType } = await kit.fis.send(new GetTargetResourceTypeCommand({ resourceType: 'aws:ec2:instance' }));
    expect(targetResourceType).toMatchObject({ resourceType: 'aws:ec2:instance', parameters: {} });
    await expect(kit.fis.send(new GetTargetResourceTypeCommand({ resourceType: 'aws:rds:cluster' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('starts experiments from startTemplate with tags (experiment tags are kept apart from the template)', async () => {
    const id = await startTemplate(
      kit,
      { actions: { w: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1S' } } }, tags: { owner: 'template' } },
      { owner: 'run' },
    );
    expect((await getExperiment(kit, id)).tags).toEqual({ owner: 'run' });
  });
});
