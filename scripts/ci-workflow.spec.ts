import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot, toolPath } from '@imagery/kernel/repo-root';
import { junitXml } from '../chaos/report/junit-report';
import { useTempDirs } from '@imagery/testing/temp-dirs';

const tempDir = useTempDirs();

/** actionlint as `npm run lint:workflows` runs it (shellcheck and pyflakes off: the same result on every machine). */
const actionlint = (args: string[], cwd = repoRoot()) =>
  spawnSync(toolPath('actionlint'), ['-shellcheck=', '-pyflakes=', '-no-color', ...args], { cwd, encoding: 'utf8' });

const BROKEN = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: soon
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ steps.build.outputs.version }}"
`;

describe('the CI workflow (.github/workflows/ci.yml) and its lint', () => {
  it('passes actionlint', () => {
    const run = actionlint(['.github/workflows/ci.yml']);
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('a broken workflow fails actionlint, which names each error and its line', async () => {
    const dir = tempDir('actionlint-');
    await mkdir(join(dir, '.github/workflows'), { recursive: true });
    await writeFile(join(dir, '.github/workflows/broken.yml'), BROKEN);
    execFileSync('git', ['init', '-q'], { cwd: dir }); // actionlint finds the workflows from the repository's root
    const run = actionlint([], dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/broken\.yml:5:22: .*float number literal, but found plain text node \[syntax-check\]/);
    expect(run.stdout).toMatch(/broken\.yml:8:\d+: property "build" is not defined in object type \{\} \[expression\]/);
  });

  it('publishes junit.xml as a summary table and an annotation per failure or error', async () => {
    const dir = tempDir('junit-summary-');
    const summary = join(dir, 'summary.md');
    await mkdir(join(dir, 'run'));
    await writeFile(
      join(dir, 'run', 'junit.xml'),
      junitXml({
        name: 'chaos all',
        startedAt: 0,
        properties: {},
        cases: [
          { name: 'kill-api', classname: 'chaos.real', seconds: 41.25 },
          {
            name: 'kill-worker',
            classname: 'chaos.real',
            seconds: 30,
            problem: {
              kind: 'failure',
              type: 'FAIL',
              message: 'FAIL: checker: 1 violation(s): sepia 1',
              detail: 'sepia [a|b]: 100%\nnot sepia',
            },
          },
          {
            name: 'storm',
            classname: 'chaos.real',
            seconds: 0,
            problem: { kind: 'error', type: 'INCONCLUSIVE', message: 'no effect', detail: '' },
          },
        ],
      }),
    );
    const run = spawnSync('python3', [join(repoRoot(), '.github/scripts/junit-summary.py'), dir], {
      encoding: 'utf8',
      env: { ...process.env, GITHUB_STEP_SUMMARY: summary },
    });
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      '::error title=chaos.real kill-worker%3A FAIL::FAIL: checker: 1 violation(s): sepia 1',
      '::error title=chaos.real storm%3A INCONCLUSIVE::no effect',
    ]);
    const md = await readFile(summary, 'utf8');
    expect(md).toContain('3 test(s) from 1 junit.xml: 1 passed, 1 failed, 1 error(s)');
    expect(md).toContain('| chaos all | kill-api | chaos.real | 41.2 s | ✅ passed |');
    expect(md).toContain('| chaos all | kill-worker | chaos.real | 30.0 s | ❌ failure: FAIL: checker: 1 violation(s): sepia 1 |');
    expect(md).toContain('```\nsepia [a|b]: 100%\nnot sepia\n```');
  });

  it('fails on a junit.xml no reporter could read', async () => {
    const dir = tempDir('junit-summary-');
    await writeFile(join(dir, 'junit.xml'), '<testsuites><testsuite name="a & b"></testsuites>');
    const run = spawnSync('python3', [join(repoRoot(), '.github/scripts/junit-summary.py'), dir], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error file=.*junit\.xml::not well-formed XML/);
  });
});
