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
import { z } from 'zod';
import { fisHttp } from '@imagery/testing/fis/fis-http';
import { FisTestKit, ROLE_ARN, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';
import { getExperiment, startTemplate } from '@imagery/testing/fis/run-template';

/**
 * The FIS answers these tests read, checked as they are read. Objects are passthrough: fields not
 * named here are kept, so an assertion on a whole answer still sees every field the simulator sent.
 */
const stateOf = z.object({ status: z.string() }).passthrough();
const experimentAnswer = z.object({
  experiment: z
    .object({
      id: z.string(),
      state: stateOf,
      experimentOptions: z.object({ actionsMode: z.string().optional() }).passthrough().optional(),
      experimentReport: z.object({ state: stateOf }).passthrough().optional(),
    })
    .passthrough(),
});
const templateAnswer = z.object({
  experimentTemplate: z
    .object({ id: z.string(), experimentReportConfiguration: z.object({ outputs: z.unknown() }).passthrough().optional() })
    .passthrough(),
});
const safetyLeverAnswer = z.object({ safetyLever: z.object({ state: stateOf }).passthrough() });
const errorAnswer = z.object({ message: z.string() }).passthrough();
const storedReport = z.object({ reportWindow: z.object({ from: z.string(), to: z.string() }) }).passthrough();

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
    templateAnswer.parse((await fisHttp(kit, 'POST', '/experimentTemplates', { clientToken: String(Math.random()), ...template })).body)
      .experimentTemplate.id;
  const startExperiment = async (templateId: string, experimentOptions?: object) =>
    experimentAnswer.parse(
      (
        await fisHttp(kit, 'POST', '/experiments', {
          clientToken: String(Math.random()),
          experimentTemplateId: templateId,
          ...(experimentOptions ? { experimentOptions } : {}),
        })
      ).body,
    ).experiment;
  const getExperimentOverHttp = async (id: string) =>
    experimentAnswer.parse((await fisHttp(kit, 'GET', `/experiments/${id}`)).body).experiment;
  const safetyLeverState = async () => safetyLeverAnswer.parse((await fisHttp(kit, 'GET', '/safetyLevers/default')).body).safetyLever.state;
  const messageOf = (answer: { readonly body: unknown }) => errorAnswer.parse(answer.body).message;

  describe('the safety lever (plain HTTP: client-fis 3.523 has no GetSafetyLever / UpdateSafetyLeverState)', () => {
    it('engaging it stops running experiments, removes their faults and cancels experiments started while engaged', async () => {
      expect((await fisHttp(kit, 'GET', '/safetyLevers/default')).body).toEqual({
        safetyLever: {
          id: 'default',
          arn: 'arn:aws:fis:us-east-1:000000000000:safety-lever/default',
          state: { status: 'disengaged', reason: expect.any(String) as unknown },
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
      expect(safetyLeverAnswer.parse(engaged.body).safetyLever.state).toEqual({ status: 'engaging', reason: 'game day is over' });
      await kit.simulator.finished(running.id);
      expect(kit.platform.network.toxics.size).toBe(0);
      expect((await getExperiment(kit, running.id)).state).toEqual({
        status: 'stopped',
        reason: 'Experiment stopped by the safety lever: game day is over',
      });
      expect(await safetyLeverState()).toEqual({
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
      expect([bad.status, bad.errorType, messageOf(bad)]).toEqual([
        400,
        'ValidationException',
        'state.status: "on" must be one of engaged, disengaged',
      ]);
      const noReason = await fisHttp(kit, 'PATCH', '/safetyLevers/default/state', { state: { status: 'engaged' } });
      expect([noReason.status, messageOf(noReason)]).toEqual([400, 'state.reason: Required']);
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
      expect(messageOf(bad)).toMatch(/^experimentOptions\.actionsMode: /);
      const onTemplate = await fisHttp(kit, 'POST', '/experimentTemplates', {
        ...fleetTemplate,
        experimentOptions: { actionsMode: 'skip-all' },
      });
      expect([onTemplate.status, onTemplate.errorType]).toEqual([400, 'ValidationException']);
      const experiment = await startExperiment(templateId);
      expect(experiment.experimentOptions?.actionsMode).toBe('run-all');
      await kit.clock.advance(60_000);
      await kit.simulator.finished(experiment.id);
      expect(kit.platform.journal).toEqual(['fleet.terminate i-api-1-1', 'fleet.terminate i-worker-1-3']);
    });

    it('accountTargeting multi-account is refused: the simulator is one account', async () => {
      const res = await fisHttp(kit, 'POST', '/experimentTemplates', {
        ...fleetTemplate,
        experimentOptions: { accountTargeting: 'multi-account' },
      });
      expect([res.status, messageOf(res)]).toEqual([400, 'experimentOptions.accountTargeting: multi-account is not supported locally']);
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
      const template = templateAnswer.parse((await fisHttp(kit, 'GET', `/experimentTemplates/${templateId}`)).body).experimentTemplate;
      expect(template.experimentReportConfiguration?.outputs).toEqual({ s3Configuration: { bucketName: 'fis-reports', prefix: 'runs' } });
      const experiment = await startExperiment(templateId);
      expect(experiment.experimentReport).toEqual({ state: { status: 'pending', reason: 'Report generation is pending.' }, s3Reports: [] });
      await kit.clock.advance(30_000);
      expect((await getExperimentOverHttp(experiment.id)).experimentReport?.state.status).toBe('pending');
      await kit.clock.advance(10_000);
      await kit.simulator.finished(experiment.id);
      const { experimentReport } = await getExperimentOverHttp(experiment.id);
      const key = `runs/${experiment.id}/experiment-report.json`;
      expect(experimentReport).toEqual({
        state: { status: 'completed', reason: 'Report generation is complete.' },
        s3Reports: [{ arn: `arn:aws:s3:::fis-reports/${key}`, reportType: 'application/json' }],
      });
      const stored = storedReport.parse(JSON.parse(kit.platform.reportStore.objects.get(`fis-reports/${key}`)!.body));
      expect(stored).toMatchObject({
        experimentId: experiment.id,
        state: { status: 'completed' },
        actions: { pause: { actionId: 'aws:fis:wait', state: { status: 'completed' } } },
      });
      expect(Date.parse(stored.reportWindow.to) - Date.parse(stored.reportWindow.from)).toBe(60_000 + 30_000 + 10_000);
      const local = `${kit.reportDir}/${experiment.id}/experiment-report.json`;
      expect(existsSync(local) && (JSON.parse(readFileSync(local, 'utf8')) as unknown)).toEqual(stored);
    });

    it('a missing bucket fails the report, not the experiment; a malformed configuration is refused', async () => {
      const experiment = await startExperiment(await createTemplate(reported('no-such-bucket')));
      await kit.clock.advance(40_000);
      await kit.simulator.finished(experiment.id);
      const got = await getExperimentOverHttp(experiment.id);
      expect(got.state.status).toBe('completed');
      expect(got.experimentReport?.state).toEqual({
        status: 'failed',
        reason: expect.stringMatching(/NoSuchBucket/) as unknown,
        error: { code: 'ReportGenerationFailed' },
      });
      const bad = await fisHttp(kit, 'POST', '/experimentTemplates', {
        ...reported('Bad_Bucket'),
        experimentReportConfiguration: { outputs: { s3Configuration: { bucketName: 'Bad_Bucket' } }, postExperimentDuration: '10m' },
      });
      expect([bad.status, bad.errorType]).toEqual([400, 'ValidationException']);
      expect(messageOf(bad)).toMatch(/bucketName: must be an S3 bucket name/);
      expect(messageOf(bad)).toMatch(/postExperimentDuration: must be an ISO 8601 duration/);
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
