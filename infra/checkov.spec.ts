import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, toolPath } from '@imagery/kernel/repo-root';

/**
 * Policy as code: checkov's CloudFormation checks on infra/ find nothing. A check that does not
 * apply is skipped in the template itself (Metadata.checkov.skip, with its reason), so the reason
 * sits beside the resource and a reviewer sees it; none is skipped on the command line.
 */
interface CheckovResult {
  readonly check_id: string;
  readonly resource: string;
  readonly file_path: string;
  readonly check_result: { readonly result: string; readonly suppress_comment?: string };
}
interface CheckovReport {
  readonly summary: { passed: number; failed: number; skipped: number; parsing_errors: number; resource_count: number };
  readonly results: { passed_checks: CheckovResult[]; failed_checks: CheckovResult[]; skipped_checks: CheckovResult[] };
}

function checkov(dir: string): CheckovReport {
  // --skip-download: no call to Prisma Cloud for guidelines; the checks themselves ship in the package.
  const args = ['-d', dir, '--framework', 'cloudformation', '-o', 'json', '--skip-download', '--soft-fail'];
  const run = spawnSync(toolPath('checkov'), args, { encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  const parsed = JSON.parse(run.stdout) as CheckovReport | CheckovReport[];
  // one framework gives an object; several, or none with results, a list
  const report = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!report?.summary) throw new Error(`checkov gave no report:\n${run.stdout.slice(0, 2_000)}\n${run.stderr.slice(-2_000)}`);
  return report;
}

const describeFailure = (r: CheckovResult) => `${r.check_id} ${r.resource} (${r.file_path})`;

describe('checkov on infra/', () => {
  let report: CheckovReport;
  beforeAll(() => {
    report = checkov(join(repoRoot(), 'infra'));
    // The figures the closing note asks for, printed once per run.
    const { passed, failed, skipped, resource_count } = report.summary;
    process.stdout.write(`checkov: ${passed} passed, ${failed} failed, ${skipped} skipped on ${resource_count} resources\n`);
  }, 200_000);

  it('parses every template and fails no check', () => {
    expect(report.summary.parsing_errors).toBe(0);
    expect(report.results.failed_checks.map(describeFailure)).toEqual([]);
    expect(report.summary.passed).toBeGreaterThan(50);
  });

  it('scans each template (data, root, artifacts)', () => {
    const files = new Set(report.results.passed_checks.map((r) => r.file_path));
    expect([...files].sort()).toEqual(['/artifacts.yaml', '/data.yaml', '/template.yaml']);
  });

  it('skips a check only inline, with a reason of its own', () => {
    // checkov's placeholder when a skip names no reason
    const aReasonOfItsOwn: unknown = expect.stringMatching(/^(?!No comment provided).{40,}$/);
    for (const skipped of report.results.skipped_checks) {
      const reason = skipped.check_result.suppress_comment ?? '';
      expect({ check: describeFailure(skipped), reason }).toEqual({ check: describeFailure(skipped), reason: aReasonOfItsOwn });
    }
  });

  it('fails a template that breaks the policies (so the check above can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkov-'));
    try {
      writeFileSync(
        join(dir, 'open.yaml'),
        [
          'Resources:',
          '  Open:',
          '    Type: AWS::EC2::SecurityGroup',
          '    Properties:',
          '      GroupDescription: open to the world',
          '      SecurityGroupIngress:',
          '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }', // CKV_AWS_24 (and no description: CKV_AWS_23)
          '  Bucket:',
          '    Type: AWS::S3::Bucket',
          '    Metadata:',
          '      checkov:',
          '        skip:',
          '          - id: CKV_AWS_18', // a skip without a reason
        ].join('\n'),
      );
      const broken = checkov(dir);
      expect(broken.results.failed_checks.map((r) => r.check_id)).toEqual(expect.arrayContaining(['CKV_AWS_24', 'CKV_AWS_23']));
      const [skip] = broken.results.skipped_checks;
      expect(skip.check_id).toBe('CKV_AWS_18');
      expect(skip.check_result.suppress_comment).toMatch(/^No comment provided/); // what the test above refuses
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 200_000);
});
