import { FisTestKit, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';
import { getExperiment, startTemplate } from '@imagery/testing/fis/run-template';

describe('API-layer fault actions', () => {
  let kit: FisTestKit;
  beforeEach(async () => (kit = await startFisTestKit()));
  afterEach(() => kit.close());

  const apiRole = { resourceType: 'aws:iam:role', resourceArns: ['arn:aws:iam::000000000000:role/api'], selectionMode: 'ALL' };

  it.each([
    ['aws:fis:inject-api-internal-error', 'internal-error'],
    ['aws:fis:inject-api-unavailable-error', 'unavailable'],
    ['aws:fis:inject-api-throttle-error', 'throttle'],
  ])('%s sets a %s rule for the duration on the targeted roles, then clears it', async (actionId, kind) => {
    const id = await startTemplate(kit, {
      targets: { api: apiRole },
      actions: {
        fail: {
          actionId,
          parameters: { service: 'sqs', operations: 'SendMessage, SendMessageBatch', percentage: '25', duration: 'PT2M' },
          targets: { Roles: 'api' },
        },
      },
      tags: { seed: '42' },
    });
    await kit.clock.advance(0);
    const source = `${id}/fail`;
    const installed = kit.platform.apiFaults.bySource.get(source)!;
    expect(installed.roles).toEqual(['api']);
    expect(installed.rules).toEqual([
      {
        id: 'fis/fail/seed-42',
        service: 'sqs',
        operations: ['SendMessage', 'SendMessageBatch'],
        percentage: 25,
        fault: { kind },
        expiresAt: kit.clock.now() + 120_000,
        source,
      },
    ]);
    await kit.clock.advance(119_000);
    expect(kit.platform.apiFaults.active()).toHaveLength(1);
    await kit.clock.advance(1_000);
    await kit.simulator.finished(id);
    expect(kit.platform.apiFaults.active()).toEqual([]);
    expect(kit.platform.journal).toEqual([`apiFaults.set ${source}`, `apiFaults.clear ${source}`]);
    expect((await getExperiment(kit, id)).actions!.fail.state!.status).toBe('completed');
  });

  it('local:api:exact-fault arms one exact rule per named call on the targeted roles, then clears them', async () => {
    const faults = [
      { service: 'dynamodb', operation: 'UpdateItem', fault: { kind: 'ambiguous' }, match: { requestId: 'r-4-2', occurrence: 1 } },
      { service: 'sqs', operation: 'ReceiveMessage', fault: { kind: 'throttle' }, match: { slot: 'worker-2', occurrence: 3 } },
      {
        service: 'sqs',
        operation: 'DeleteMessage',
        fault: { kind: 'throttle' },
        match: { slot: 'worker-1', occurrence: 1 },
        afterMs: 4_000,
      },
    ];
    const id = await startTemplate(kit, {
      targets: { api: apiRole },
      actions: {
        exact: {
          actionId: 'local:api:exact-fault',
          parameters: { faults: JSON.stringify(faults), duration: 'PT30S' },
          targets: { Roles: 'api' },
        },
      },
    });
    await kit.clock.advance(0);
    const source = `${id}/exact`;
    const expiresAt = kit.clock.now() + 30_000;
    // Each named call becomes one exact rule, armed for the action's duration.
    const rule = (n: number, match: object) => {
      const { service, operation, fault } = faults[n - 1];
      return { id: `exact/exact/${n}`, service, operations: [operation], percentage: 100, fault, match, expiresAt, source };
    };
    expect(kit.platform.apiFaults.bySource.get(source)!.rules).toEqual([
      rule(1, faults[0].match),
      rule(2, faults[1].match),
      // the slot's calls count from 4 s after the action started
      rule(3, { slot: 'worker-1', occurrence: 1, notBefore: expiresAt - 30_000 + 4_000 }),
    ]);
    await kit.clock.advance(30_000);
    await kit.simulator.finished(id);
    expect(kit.platform.apiFaults.active()).toEqual([]);
  });

  it('local:api:exact-fault refuses faults that name no exact call', async () => {
    const broken = JSON.stringify([{ service: 'dynamodb', operation: 'UpdateItem', fault: { kind: 'ambiguous' }, match: {} }]);
    await expect(
      startTemplate(kit, {
        targets: { api: apiRole },
        actions: {
          exact: { actionId: 'local:api:exact-fault', parameters: { faults: broken, duration: 'PT30S' }, targets: { Roles: 'api' } },
        },
      }),
    ).rejects.toThrow(/parameter 'faults': faults: 0\.match\.occurrence: Required/);
  });

  it('targets roles by tag: Role=worker gives the rule to workers only', async () => {
    const id = await startTemplate(kit, {
      targets: { workers: { resourceType: 'aws:iam:role', resourceTags: { Role: 'worker' }, selectionMode: 'ALL' } },
      actions: {
        slow: {
          actionId: 'aws:fis:inject-api-internal-error',
          parameters: { service: 's3', operations: 'GetObject', percentage: '100', duration: 'PT1M' },
          targets: { Roles: 'workers' },
        },
      },
    });
    await kit.clock.advance(0);
    expect(kit.platform.apiFaults.bySource.get(`${id}/slow`)!.roles).toEqual(['worker']);
  });

  it('local:api:ambiguous sets an ambiguous rule', async () => {
    const id = await startTemplate(kit, {
      targets: { api: apiRole },
      actions: {
        lost: {
          actionId: 'local:api:ambiguous',
          parameters: { service: 'dynamodb', operations: 'UpdateItem', percentage: '50', duration: 'PT1M' },
          targets: { Roles: 'api' },
        },
      },
    });
    await kit.clock.advance(0);
    expect(kit.platform.apiFaults.active()).toEqual([
      expect.objectContaining({
        service: 'dynamodb',
        operations: ['UpdateItem'],
        percentage: 50,
        fault: { kind: 'ambiguous' },
        source: `${id}/lost`,
      }),
    ]);
  });

  it('local:process:crash-at sets a crash rule, after the Nth call or at a percentage', async () => {
    const id = await startTemplate(kit, {
      targets: { api: apiRole },
      actions: {
        nth: {
          actionId: 'local:process:crash-at',
          parameters: { service: 'dynamodb', operation: 'UpdateItem', when: 'after', nth: '3', duration: 'PT1M' },
          targets: { Roles: 'api' },
        },
        some: {
          actionId: 'local:process:crash-at',
          parameters: { service: 'sqs', operation: 'SendMessage', when: 'before', percentage: '10', duration: 'PT1M' },
          targets: { Roles: 'api' },
        },
      },
    });
    await kit.clock.advance(0);
    expect(kit.platform.apiFaults.bySource.get(`${id}/nth`)!.rules[0]).toEqual(
      expect.objectContaining({ service: 'dynamodb', operations: ['UpdateItem'], nth: 3, fault: { kind: 'crash', when: 'after' } }),
    );
    expect(kit.platform.apiFaults.bySource.get(`${id}/some`)!.rules[0]).toEqual(
      expect.objectContaining({ service: 'sqs', operations: ['SendMessage'], percentage: 10, fault: { kind: 'crash', when: 'before' } }),
    );
    expect(kit.platform.apiFaults.bySource.get(`${id}/some`)!.rules[0].nth).toBeUndefined();
  });
});
