import { FisTestKit, startFisTestKit } from '@imagery/testing/fis/fis-test-kit';
import { startTemplate } from '@imagery/testing/fis/run-template';
import { parseSelectionMode, selectResources } from './selection-mode';
import { seededRandom } from '@imagery/kernel/seeded-random';
import { ListExperimentResolvedTargetsCommand } from '@aws-sdk/client-fis';

describe('seeded target selection', () => {
  it('parses FIS selection modes', () => {
    expect(parseSelectionMode('ALL')).toEqual({ kind: 'ALL' });
    expect(parseSelectionMode('COUNT(3)')).toEqual({ kind: 'COUNT', n: 3 });
    expect(parseSelectionMode('PERCENT(25)')).toEqual({ kind: 'PERCENT', n: 25 });
    for (const bad of ['all', 'COUNT(0)', 'PERCENT(0)', 'PERCENT(101)', 'COUNT(-1)', 'COUNT()', 'RANDOM'])
      expect(parseSelectionMode(bad)).toBeUndefined();
  });

  it('PERCENT rounds down but selects at least one; COUNT above the pool takes the pool', () => {
    const pool = ['a', 'b', 'c', 'd', 'e'];
    expect(selectResources(pool, { kind: 'PERCENT', n: 50 }, seededRandom(1))).toHaveLength(2);
    expect(selectResources(pool, { kind: 'PERCENT', n: 1 }, seededRandom(1))).toHaveLength(1);
    expect(selectResources(pool, { kind: 'COUNT', n: 9 }, seededRandom(1)).sort()).toEqual(pool);
  });

  describe('through the simulator', () => {
    const kits: FisTestKit[] = [];
    afterEach(async () => {
      await Promise.all(kits.map((k) => k.close()));
      kits.length = 0;
    });

    async function chosen(seedTag: string | undefined, simulatorSeed = 7): Promise<string[]> {
      const kit = await startFisTestKit({ seed: simulatorSeed, layout: { api: 4, worker: 4 } });
      kits.push(kit);
      const id = await startTemplate(kit, {
        targets: {
          some: { resourceType: 'aws:ec2:instance', filters: [{ path: 'State.Name', values: ['running'] }], selectionMode: 'COUNT(3)' },
        },
        actions: { kill: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'some' } } },
        ...(seedTag !== undefined ? { tags: { seed: seedTag } } : {}),
      });
      await kit.simulator.finished(id);
      const { resolvedTargets } = await kit.fis.send(new ListExperimentResolvedTargetsCommand({ experimentId: id }));
      return resolvedTargets!.map((r) => r.targetInformation!.identifier);
    }

    it('the same seed tag picks the same instances; other seeds pick others', async () => {
      const first = await chosen('1234');
      expect(first).toHaveLength(3);
      expect(await chosen('1234')).toEqual(first);
      const others = await Promise.all(['1', '2', '3', '4', '5'].map((s) => chosen(s)));
      expect(others.some((o) => JSON.stringify(o) !== JSON.stringify(first))).toBe(true);
    });

    it("without a seed tag, the simulator's seed decides", async () => {
      expect(await chosen(undefined, 99)).toEqual(await chosen(undefined, 99));
      expect(await chosen(undefined, 99)).toEqual(await chosen('99'));
    });
  });
});
