import { FisTestKit, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';
import { getExperiment, startTemplate } from '@imagery/testing/fis/run-template';

const dlq = (value: number) => ({
  name: 'imagery_queue_messages',
  labels: { queue: 'dead_letter', kind: 'visible', role: 'worker', instance: 'i-worker-1-3' },
  value,
});
const ALARM_ARN = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:imagery-dlq-not-empty';

/** The EC2, CloudWatch and SSM actions beyond terminate/stop, on the fake platform (api-1, worker-1 in zone a; api-2, worker-2 in b). */
describe('AWS actions: reboot, spot interruptions, capacity errors, alarm assertions, SSM network documents', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  const zoneA = { resourceType: 'aws:ec2:instance', resourceTags: { AZ: 'a' }, selectionMode: 'ALL' };

  it('aws:ec2:reboot-instances reboots each target once', async () => {
    const id = await startTemplate(kit, {
      targets: { zoneA },
      actions: { reboot: { actionId: 'aws:ec2:reboot-instances', targets: { Instances: 'zoneA' } } },
    });
    await kit.simulator.finished(id);
    expect(kit.platform.journal).toEqual(['fleet.reboot i-api-1-1', 'fleet.reboot i-worker-1-3']);
    expect((await getExperiment(kit, id)).state!.status).toBe('completed');
  });

  it('aws:ec2:send-spot-instance-interruptions sends the notice and completes when it runs out', async () => {
    const id = await startTemplate(kit, {
      targets: { spot: { resourceType: 'aws:ec2:spot-instance', resourceTags: { Role: 'worker' }, selectionMode: 'COUNT(1)' } },
      actions: {
        interrupt: {
          actionId: 'aws:ec2:send-spot-instance-interruptions',
          parameters: { durationBeforeInterruption: 'PT2M' },
          targets: { SpotInstances: 'spot' },
        },
      },
    });
    await kit.clock.advance(0);
    expect([...kit.platform.fleet.spotNotices.values()]).toEqual([120_000]);
    expect((await getExperiment(kit, id)).actions!.interrupt.state!.status).toBe('running');
    await kit.clock.advance(120_000);
    await kit.simulator.finished(id);
    expect((await getExperiment(kit, id)).actions!.interrupt.state!.status).toBe('completed');
  });

  const noCapacity =
    'aws:ec2:asg-insufficient-instance-capacity-error: no launches in the zone while it runs, replacements go to the other zone';
  it(noCapacity, async () => {
    const id = await startTemplate(kit, {
      targets: { groups: { resourceType: 'aws:ec2:autoscaling-group', resourceTags: { Role: 'api' }, selectionMode: 'ALL' }, zoneA },
      actions: {
        ice: {
          actionId: 'aws:ec2:asg-insufficient-instance-capacity-error',
          parameters: { availabilityZoneIdentifiers: 'us-east-1a', duration: 'PT1M' },
          targets: { AutoScalingGroups: 'groups' },
        },
        kill: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'zoneA' } },
      },
    });
    await kit.clock.advance(0);
    expect([...kit.platform.fleet.zonesWithoutCapacity]).toEqual(['a']);
    const replacements = kit.platform.fleet.instances().filter((i) => i.state === 'running' && i.tags.Name.endsWith('-1'));
    expect(replacements.map((i) => i.az)).toEqual(['b', 'b']);
    await kit.clock.advance(60_000);
    await kit.simulator.finished(id);
    expect(kit.platform.fleet.zonesWithoutCapacity.size).toBe(0);
    expect(kit.platform.journal.filter((j) => j.startsWith('fleet.setZoneCapacity'))).toEqual([
      'fleet.setZoneCapacity a false',
      'fleet.setZoneCapacity a true',
    ]);
  });

  it('aws:ec2:asg-insufficient-instance-capacity-error refuses zones that do not exist locally', async () => {
    await expect(
      startTemplate(kit, {
        targets: { groups: { resourceType: 'aws:ec2:autoscaling-group', resourceTags: { Role: 'api' }, selectionMode: 'ALL' } },
        actions: {
          ice: {
            actionId: 'aws:ec2:asg-insufficient-instance-capacity-error',
            parameters: { availabilityZoneIdentifiers: 'us-east-1c', duration: 'PT1M' },
            targets: { AutoScalingGroups: 'groups' },
          },
        },
      }),
    ).rejects.toThrow(/availabilityZoneIdentifiers': "us-east-1c" must name zones a or b/);
  });

  describe('aws:cloudwatch:assert-alarm-state', () => {
    const assertOk = {
      actionId: 'aws:cloudwatch:assert-alarm-state',
      parameters: { alarmArns: ALARM_ARN, alarmStates: 'OK,INSUFFICIENT_DATA' },
    };

    it('passes when the alarm is in an allowed state, and the experiment goes on', async () => {
      kit.platform.metrics.samples = [dlq(0)];
      const id = await startTemplate(kit, {
        actions: { healthy: assertOk, then: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1S' }, startAfter: ['healthy'] } },
      });
      await kit.clock.advance(1_000);
      await kit.clock.advance(1_000);
      await kit.simulator.finished(id);
      expect((await getExperiment(kit, id)).state!.status).toBe('completed');
      expect(kit.logs).toContainEqual(expect.stringMatching(/imagery-dlq-not-empty: OK/));
    });

    it('fails the action and the experiment when the alarm is in another state', async () => {
      // An alarm already in ALARM when the action runs (the DLQ alarm judges rises during an
      // experiment, so one evaluation cannot put it in ALARM): set from outside, as SetAlarmState does.
      const invariantArn = ALARM_ARN.replace('imagery-dlq-not-empty', 'imagery-invariant-violated');
      const raised = await fetch(`${kit.simulator.url}/local/alarms/imagery-invariant-violated/state`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ stateValue: 'ALARM', stateReason: 'a second processed object' }),
      });
      expect(raised.ok).toBe(true);
      const assertInvariantOk = { ...assertOk, parameters: { ...assertOk.parameters, alarmArns: invariantArn } };
      const id = await startTemplate(kit, {
        actions: {
          healthy: assertInvariantOk,
          then: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1S' }, startAfter: ['healthy'] },
        },
      });
      await kit.clock.advance(1_000);
      await kit.simulator.finished(id);
      const experiment = await getExperiment(kit, id);
      expect(experiment.state!.status).toBe('failed');
      expect(experiment.actions!.healthy.state!.reason).toMatch(
        /^alarm\(s\) not in OK\|INSUFFICIENT_DATA: imagery-invariant-violated is ALARM/,
      );
      expect(experiment.actions!.then.state!.status).toBe('cancelled');
    });

    it('refuses unknown alarms and states at create time', async () => {
      await expect(
        startTemplate(kit, {
          actions: {
            a: {
              actionId: 'aws:cloudwatch:assert-alarm-state',
              parameters: { alarmArns: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:nope', alarmStates: 'OK' },
            },
          },
        }),
      ).rejects.toThrow(/alarm\(s\) nope not defined locally/);
      await expect(
        startTemplate(kit, {
          actions: { a: { actionId: 'aws:cloudwatch:assert-alarm-state', parameters: { alarmArns: ALARM_ARN, alarmStates: 'GREEN' } } },
        }),
      ).rejects.toThrow(/"GREEN" must list states among OK, ALARM, INSUFFICIENT_DATA/);
    });
  });

  describe('aws:ssm:send-command with the AWS FIS network documents', () => {
    const send = (document: string, documentParameters: object) => ({
      actionId: 'aws:ssm:send-command',
      parameters: {
        documentArn: `arn:aws:ssm:us-east-1::document/${document}`,
        documentParameters: JSON.stringify(documentParameters),
        duration: 'PT1M',
      },
      targets: { Instances: 'zoneA' },
    });

    it("network latency: a latency toxic on the zone's AWS proxies and its API instances' proxy, for DurationSeconds", async () => {
      const id = await startTemplate(kit, {
        targets: { zoneA },
        actions: { slow: send('AWSFIS-Run-Network-Latency', { DurationSeconds: 30, DelayMilliseconds: 200, JitterMilliseconds: 20 }) },
      });
      await kit.clock.advance(0);
      const toxics = [...kit.platform.network.toxics.values()];
      expect(toxics.map((t) => t.proxy).sort()).toEqual(['api-1', 'dynamodb-a', 's3-a', 'sqs-a']);
      expect(toxics[0]).toMatchObject({ type: 'latency', toxicity: 1, attributes: { latency: 200, jitter: 20 } });
      await kit.clock.advance(30_000);
      await kit.simulator.finished(id);
      expect(kit.platform.network.toxics.size).toBe(0);
    });

    it('packet loss with Sources: LossPercent of the connections stall and close, only for the named traffic', async () => {
      const id = await startTemplate(kit, {
        targets: { zoneA },
        actions: {
          ddb: send('AWSFIS-Run-Network-Packet-Loss-Sources', { DurationSeconds: 20, LossPercent: 30, Sources: 'DYNAMODB' }),
          crossAz: {
            ...send('AWSFIS-Run-Network-Packet-Loss-Sources', { DurationSeconds: 20, LossPercent: 50, Sources: 'us-east-1b' }),
            startAfter: ['ddb'],
          },
        },
      });
      await kit.clock.advance(0);
      expect([...kit.platform.network.toxics.values()]).toEqual([
        { proxy: 'dynamodb-a', type: 'timeout', stream: 'downstream', toxicity: 0.3, attributes: { timeout: 1000 } },
      ]);
      await kit.clock.advance(20_000);
      // Cross-zone traffic of zone a's instances: the load balancer (in both zones) to api-1.
      expect([...kit.platform.network.toxics.values()]).toEqual([
        { proxy: 'api-1', type: 'timeout', stream: 'downstream', toxicity: 0.5, attributes: { timeout: 1000 } },
      ]);
      await kit.clock.advance(20_000);
      await kit.simulator.finished(id);
      expect(kit.platform.network.toxics.size).toBe(0);
    });

    it('refuses documents and parameters it cannot run', async () => {
      await expect(
        startTemplate(kit, { targets: { zoneA }, actions: { x: send('AWSFIS-Run-CPU-Stress', { DurationSeconds: 10 }) } }),
      ).rejects.toThrow(/document .* is not supported locally/);
      await expect(
        startTemplate(kit, { targets: { zoneA }, actions: { x: send('AWSFIS-Run-Network-Latency', { DurationSeconds: 10 }) } }),
      ).rejects.toThrow(/need DelayMilliseconds/);
      await expect(
        startTemplate(kit, {
          targets: { zoneA },
          actions: { x: send('AWSFIS-Run-Network-Packet-Loss', { DurationSeconds: 10, LossPercent: 10, Sources: 'S3' }) },
        }),
      ).rejects.toThrow(/Sources is for the -Sources documents/);
    });
  });
});
