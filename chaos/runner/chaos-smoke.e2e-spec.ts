import { existsSync } from 'node:fs';
import { CHAOS_CLI, runChaosCli } from '@imagery/testing/chaos/run-chaos-cli';

/**
 * The CI smoke of `npm run chaos`: the real build survives kill-worker and ambiguous UpdateItems
 * (verdict PASS, exit 0), and the seed build (libs/adversaries) is caught under the same ambiguous
 * UpdateItems (exit 1, violations listed). Short faults, low rate: well under three minutes.
 */
describe('npm run chaos (smoke)', () => {
  beforeAll(() => {
    if (!existsSync(CHAOS_CLI)) throw new Error('run `npm run build` first (npm test does)');
  });

  it('the real build passes kill-worker and updateitem-fails-mid-transition', async () => {
    const { code, output } = await runChaosCli(['kill-worker', 'updateitem-fails-mid-transition']);
    expect(output).toMatch(/kill-worker: PASS/);
    expect(output).toMatch(/updateitem-fails-mid-transition: PASS/);
    expect(output).toMatch(/terminating i-worker-/);
    expect(code).toBe(0);
  }, 240_000);

  it('the seed build is caught under updateitem-fails-mid-transition', async () => {
    const { code, output } = await runChaosCli(['updateitem-fails-mid-transition', '--build', 'seed']);
    expect(output).toMatch(/updateitem-fails-mid-transition: FAIL/);
    expect(output).toMatch(/✗ nothing-duplicated: \d+ violations?/);
    expect(code).toBe(1);
  }, 240_000);
});
