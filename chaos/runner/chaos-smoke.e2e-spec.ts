import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/local-aws/repo-root';

/**
 * The CI smoke of `npm run chaos`: the real build survives kill-worker and ambiguous UpdateItems
 * (verdict PASS, exit 0), and the seed build (libs/adversaries) is caught under the same ambiguous
 * UpdateItems (exit 1, violations listed). Short faults, low rate: well under three minutes.
 */
const cli = join(repoRoot(), 'dist/chaos/runner/cli.js');
const SHORT = ['--rate', '5', '--warmup', '3', '--tail', '5', '--max-fault-seconds', '15', '--sepia-sample', '10'];

function runChaos(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args, ...SHORT], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run chaos (smoke)', () => {
  beforeAll(() => {
    if (!existsSync(cli)) throw new Error('run `npm run build` first (npm test does)');
  });

  it('the real build passes kill-worker and updateitem-fails-mid-transition', async () => {
    const { code, output } = await runChaos(['kill-worker', 'updateitem-fails-mid-transition']);
    expect(output).toMatch(/kill-worker: PASS/);
    expect(output).toMatch(/updateitem-fails-mid-transition: PASS/);
    expect(output).toMatch(/terminating i-worker-/);
    expect(code).toBe(0);
  }, 240_000);

  it('the seed build is caught under updateitem-fails-mid-transition', async () => {
    const { code, output } = await runChaos(['updateitem-fails-mid-transition', '--build', 'seed']);
    expect(output).toMatch(/updateitem-fails-mid-transition: FAIL/);
    expect(output).toMatch(/✗ nothing-duplicated: \d+ violations?/);
    expect(code).toBe(1);
  }, 240_000);
});
