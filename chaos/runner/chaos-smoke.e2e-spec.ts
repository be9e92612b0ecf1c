import { existsSync } from 'node:fs';
import { CHAOS_CLI, runChaosCli } from '@imagery/testing/chaos/run-chaos-cli';

/**
 * The CI smoke of `npm run chaos`: the real build survives kill-worker and ambiguous UpdateItems
 * (verdict PASS, exit 0). That the seed build (libs/adversaries) is caught under the same ambiguous
 * UpdateItems (exit 1, violations listed) is proven by the same command's run in
 * streaming-check.e2e-spec.ts, which asserts it too. Short faults, low rate: well under two minutes.
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
});
