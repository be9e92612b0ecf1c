import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ReportData } from '../report/report-data';
import { CHAOS_CLI, runChaosCli } from '@imagery/testing/chaos/run-chaos-cli';
import type { NodeRun } from '@imagery/testing/run-node';

/**
 * The CI smoke of `npm run chaos`, two runs of the built CLI, each on its own platform: the real build
 * survives kill-worker and ambiguous UpdateItems (verdict PASS, exit 0); the seed build
 * (libs/adversaries) is caught under the same ambiguous UpdateItems, and the streaming check stops
 * its experiment (exit 1). One file so that jest runs them one after the other: two chaos platforms
 * at once on this machine's two cores slowed both (and every other suite) by half. Short faults, low rate.
 */
beforeAll(() => {
  if (!existsSync(CHAOS_CLI)) throw new Error('run `npm run build` first (npm test does)');
});

describe('npm run chaos (smoke)', () => {
  it('the real build passes kill-worker and updateitem-fails-mid-transition', async () => {
    const { code, output } = await runChaosCli(['kill-worker', 'updateitem-fails-mid-transition']);
    expect(output).toMatch(/kill-worker: PASS/);
    expect(output).toMatch(/updateitem-fails-mid-transition: PASS/);
    expect(output).toMatch(/terminating i-worker-/);
    // Its own platform: each run starts on a store emptied (and proven empty) once the platform is idle.
    expect(output.match(/^ {2}idle wait \+ empty store \+ store baseline /gm)).toHaveLength(2);
    expect(code).toBe(0);
  }, 240_000);
});

/**
 * The checker as a stop condition, end to end: the seed build leaves second processed objects
 * under ambiguous UpdateItems; the streaming check sees the first one while the faults are on,
 * raises imagery-invariant-violated, and the FIS experiment stops on it. The report lists that
 * violation with its provenance; the verdict is FAIL (the checker finds the violations again
 * after the drain) with the early stop as a STOPPED reason. This run is also the CI smoke's proof
 * that the seed build is caught.
 */
describe('npm run chaos: the streaming check stops the experiment', () => {
  let run: NodeRun;
  beforeAll(async () => {
    run = await runChaosCli(['updateitem-fails-mid-transition', '--build', 'seed']);
  }, 150_000);

  it('catches the seed build under updateitem-fails-mid-transition (exit 1, violations listed)', () => {
    expect(run.output).toMatch(/updateitem-fails-mid-transition: FAIL/);
    expect(run.output).toMatch(/✗ nothing-duplicated: \d+ violations?/);
    expect(run.code).toBe(1);
  });

  it('stops updateitem-fails-mid-transition on the seed build at its first second processed object', async () => {
    const { code, output } = run;
    const IMAGE = '[0-9a-f-]{36}';
    expect(output).toMatch(
      new RegExp(
        `streaming check: invariant broken, raising imagery-invariant-violated: nothing-duplicated: image ${IMAGE}: ` +
          '2 processed objects for one image',
      ),
    );
    const html = /updateitem-fails-mid-transition: FAIL — report (\S+report\.html)/.exec(output)?.[1];
    expect(html).toBeDefined();
    const report = JSON.parse(await readFile(join(dirname(html!), 'report.json'), 'utf8')) as ReportData;
    expect(report.historyFacts.fis?.state).toBe('stopped');
    expect(report.historyFacts.fis?.reason).toMatch(
      new RegExp(
        `^Stop condition triggered: alarm imagery-invariant-violated is in ALARM \\(nothing-duplicated: image ${IMAGE}: ` +
          '2 processed objects',
      ),
    );
    expect(report.verdict.reasons.map((r) => [r.condition, r.outcome])).toEqual(
      expect.arrayContaining([
        ['checker', 'FAIL'],
        ['fis', 'STOPPED'],
      ]),
    );
    const [first] = report.stoppedBy ?? [];
    expect(first.invariant).toBe('nothing-duplicated');
    expect(report.historyFacts.fis?.reason).toContain(first.ids[0]);
    expect(first.provenance?.objects.filter((o) => o.key.startsWith(`processed/${first.ids[0]}`)).length).toBeGreaterThanOrEqual(2);
    expect(first.provenance?.faults.some((f) => /UpdateItem ambiguous/.test(f.text))).toBe(true);
    expect(await readFile(html!, 'utf8')).toContain('Stopped by the streaming check');
    expect(code).toBe(1);
  });
});
