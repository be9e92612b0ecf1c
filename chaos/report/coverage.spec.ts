import type { CoverageLogEntry } from '@imagery/aws-adapters';
import { RECOVERY_PATHS, RECOVERY_PATH_NAMES, type RecoveryPath } from '@imagery/domain';
import { UNCATALOGUED, formatReached, runCoverage } from './coverage';
import { coverageSection } from './coverage-html';
import { coverageUnion, formatCoverageUnion } from './coverage-union';

const reach = (path: string, detail?: string): CoverageLogEntry => ({
  time: 1,
  path: path as RecoveryPath,
  instance: 'worker-1',
  generation: 0,
  ...(detail ? { detail } : {}),
});

describe("a run's coverage table", () => {
  const table = runCoverage([
    reach('sdk-retry-succeeded', 'sqs'),
    reach('sdk-retry-succeeded', 'dynamodb'),
    reach('sdk-retry-succeeded', 'dynamodb'),
    reach('stuck-upload-re-enqueued'),
    reach('a-path-from-an-older-build'),
  ]);

  it('lists every catalogued path in order, reached or not, then paths the catalogue lacks', () => {
    expect(table.map((r) => r.path)).toEqual([...RECOVERY_PATH_NAMES, 'a-path-from-an-older-build']);
    expect(table.find((r) => r.path === 'repair-claim-lost')).toEqual({
      path: 'repair-claim-lost',
      description: RECOVERY_PATHS['repair-claim-lost'],
      reached: 0,
      details: {},
    });
    expect(table.at(-1)).toMatchObject({ reached: 1, description: UNCATALOGUED });
  });

  it('counts each path and its variants', () => {
    const sdk = table.find((r) => r.path === 'sdk-retry-succeeded')!;
    expect(sdk).toMatchObject({ reached: 3, details: { sqs: 1, dynamodb: 2 } });
    expect(formatReached(sdk)).toBe('3 (dynamodb 2, sqs 1)');
    expect(formatReached(table.find((r) => r.path === 'stuck-upload-re-enqueued')!)).toBe('1');
  });

  it("is a section of the report's page, escaped", () => {
    const html = coverageSection(runCoverage([reach('stuck-upload-re-enqueued')]));
    expect(html).toContain(`1 of ${RECOVERY_PATH_NAMES.length} named recovery paths reached`);
    expect(html).toContain('<tr><td><code>stuck-upload-re-enqueued</code></td><td class="pass">1</td>');
    expect(html).toContain('<tr><td><code>repair-claim-lost</code></td><td class="">0</td>');
    expect(coverageSection(runCoverage([reach('<b>', '"x"')]))).toContain(
      '<code>&lt;b&gt;</code></td><td class="pass">1 (&quot;x&quot; 1)',
    );
    expect(coverageSection(undefined)).toBe('');
  });
});

describe("the matrix's coverage union", () => {
  const union = coverageUnion([
    { experiment: 'kill-worker', coverage: runCoverage([reach('message-redelivered'), reach('message-redelivered')]) },
    { experiment: 'sendmessage-fails', coverage: runCoverage([reach('send-failed-left-to-sweep'), reach('message-redelivered')]) },
    { experiment: 'storm' },
  ]);

  it('totals each path over the experiments and says which reached it', () => {
    expect(union.rows.find((r) => r.path === 'message-redelivered')).toMatchObject({
      total: 3,
      reachedBy: [
        { experiment: 'kill-worker', reached: 2 },
        { experiment: 'sendmessage-fails', reached: 1 },
      ],
    });
    expect(union.rows.map((r) => r.path)).toEqual(RECOVERY_PATH_NAMES);
  });

  it('names the paths no experiment reached, and the experiments that gave no coverage', () => {
    expect(union.neverReached).toContain('stuck-upload-re-enqueued');
    expect(union.neverReached).not.toContain('message-redelivered');
    expect(union.neverReached).toHaveLength(RECOVERY_PATH_NAMES.length - 2);
    expect(union.missing).toEqual(['storm']);
    const text = formatCoverageUnion(union);
    expect(text).toMatch(/^message-redelivered +3 {2}kill-worker 2, sendmessage-fails 1$/m);
    expect(text).toMatch(/^stuck-upload-re-enqueued +0 {2}-$/m);
    expect(text).toContain(`2 of ${RECOVERY_PATH_NAMES.length} recovery paths reached`);
    expect(text).toContain('never reached: create-found-existing, upload-retry-found-uploaded,');
    expect(text).toContain('no coverage from (the run failed): storm');
  });
});
