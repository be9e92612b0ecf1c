import { FisTestKit, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';
import { getExperiment, startTemplate } from '@imagery/testing/fis/run-template';

const ALARM_ARN = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:imagery-invariant-violated';

describe('the imagery-invariant-violated stop condition, raised over HTTP (POST /local/alarms/<name>/state)', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  const setState = (name: string, body: unknown) =>
    fetch(`${kit.simulator.url}/local/alarms/${name}/state`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const template = {
    targets: { api: { resourceType: 'aws:iam:role', resourceTags: { Role: 'api' }, selectionMode: 'ALL' } },
    actions: {
      errors: {
        actionId: 'aws:fis:inject-api-internal-error',
        parameters: { service: 'sqs', operations: 'SendMessage', percentage: '50', duration: 'PT30S' },
        targets: { Roles: 'api' },
      },
    },
    stopConditions: [{ source: 'aws:cloudwatch:alarm', value: ALARM_ARN }],
  };

  it('stops the experiment with the reason the alarm was set with, and removes its faults', async () => {
    const id = await startTemplate(kit, template);
    await kit.clock.advance(5_000);
    expect((await getExperiment(kit, id)).state!.status).toBe('running');
    expect(kit.platform.apiFaults.active()).toHaveLength(1);

    const answer = await setState('imagery-invariant-violated', {
      stateValue: 'ALARM',
      stateReason: 'nothing-duplicated: 2 processed objects for image 1234',
    });
    expect(answer.status).toBe(200);
    await kit.clock.advance(1_000);
    await kit.simulator.finished(id);
    const experiment = await getExperiment(kit, id);
    expect(experiment.state!.status).toBe('stopped');
    expect(experiment.state!.reason).toBe(
      'Stop condition triggered: alarm imagery-invariant-violated is in ALARM ' +
        `(nothing-duplicated: 2 processed objects for image 1234) [${ALARM_ARN}]`,
    );
    expect(kit.platform.apiFaults.active()).toEqual([]);
  });

  it('stays in ALARM until set to OK: a later experiment is stopped too, then one after the reset completes', async () => {
    await setState('imagery-invariant-violated', { stateValue: 'ALARM', stateReason: 'stuck image' });
    const first = await startTemplate(kit, template);
    await kit.clock.advance(2_000);
    await kit.simulator.finished(first);
    expect((await getExperiment(kit, first)).state!.status).toBe('stopped');

    expect((await setState('imagery-invariant-violated', { stateValue: 'OK', stateReason: 'new run' })).status).toBe(200);
    const state = (await (await fetch(`${kit.simulator.url}/local/alarms/imagery-invariant-violated/state`)).json()) as unknown;
    expect(state).toEqual({ alarmName: 'imagery-invariant-violated', stateValue: 'OK' });
    const second = await startTemplate(kit, template);
    await kit.clock.advance(31_000);
    await kit.simulator.finished(second);
    expect((await getExperiment(kit, second)).state!.status).toBe('completed');
  });

  it('never stops an experiment when no one raises it', async () => {
    const id = await startTemplate(kit, template);
    await kit.clock.advance(31_000);
    await kit.simulator.finished(id);
    expect((await getExperiment(kit, id)).state!.status).toBe('completed');
  });

  it.each([
    ['an unknown alarm', 'no-such-alarm', { stateValue: 'ALARM', stateReason: 'x' }, 404, /not defined locally/],
    [
      'an unknown state',
      'imagery-invariant-violated',
      { stateValue: 'RED', stateReason: 'x' },
      400,
      /stateValue must be one of OK, ALARM, INSUFFICIENT_DATA/,
    ],
    ['no reason', 'imagery-invariant-violated', { stateValue: 'ALARM' }, 400, /stateReason must be a non-empty string/],
  ])('answers %s with a 4xx JSON error', async (_what, name, body, status, message) => {
    const answer = await setState(name, body);
    expect(answer.status).toBe(status);
    expect(((await answer.json()) as { message: string }).message).toMatch(message);
  });

  it('keeps the local path out of the FIS operations', () => {
    expect(kit.simulator.operations.some((o) => o.path.startsWith('/local/'))).toBe(false);
  });
});
