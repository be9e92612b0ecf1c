import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, toolPath } from '@imagery/kernel/repo-root';

/** Every template in infra/ passes cfn-lint with neither errors nor warnings. */
const infraDir = join(repoRoot(), 'infra');
const templates = readdirSync(infraDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => join(infraDir, name));

function cfnLint(files: string[]): { status: number | null; output: string } {
  const result = spawnSync(toolPath('cfn-lint'), ['--', ...files], { encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('cfn-lint', () => {
  it('finds the templates', () => {
    expect(templates.map((file) => file.slice(infraDir.length + 1))).toContain('data.yaml');
  });

  it('reports nothing on infra/*.yaml', () => {
    expect(cfnLint(templates)).toEqual({ status: 0, output: '' });
  });

  it('fails on a broken template (so the check above can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
    try {
      const broken = join(dir, 'broken.yaml');
      writeFileSync(
        broken,
        [
          'Resources:',
          '  Queue:',
          '    Type: AWS::SQS::Queue',
          '    Properties:',
          '      VisibilityTimeout: !Ref Missing', // unknown parameter: error E1020
          '      NotAProperty: 1', // unknown property: error E3002
        ].join('\n'),
      );
      const { status, output } = cfnLint([broken]);
      expect(status).not.toBe(0);
      expect(output).toMatch(/E1020/);
      expect(output).toMatch(/E3002/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
