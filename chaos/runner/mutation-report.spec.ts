import Ajv from 'ajv';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MUTANTS, SEED } from '@imagery/adversaries';
import { repoRoot } from '@imagery/kernel/repo-root';
import type { MatrixRun } from './mutation-matrix';
import {
  adversarySourcePath,
  buildMutationReport,
  locateDefect,
  mutationReportHtml,
  scorePercent,
  writeMutationReport,
} from './mutation-report';

const schema = JSON.parse(
  readFileSync(require.resolve('mutation-testing-report-schema/mutation-testing-report-schema.json'), 'utf8'),
) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const DRAIN = 'drain: the drain did not complete after 60 s (3 queued)';

type Verdict = string | undefined;
const run = (
  build: string,
  experiment: string,
  verdict: Verdict,
  invariants: string[],
  expected?: string,
  reasons: string[] = [],
): MatrixRun => ({ build, experiment, verdict, invariants, expected, reasons });

const runs: MatrixRun[] = [
  run('seed', 'sqs-outage', 'FAIL', ['nothing-duplicated'], 'nothing-duplicated'),
  run('ack-before-durable', 'kill-api', 'FAIL', ['acknowledged-durable', 'monotonic'], 'acknowledged-durable'),
  run('ack-before-durable', 'crash-between-update-and-send', 'FAIL', [], 'acknowledged-durable', [DRAIN]),
  run('timestamped-processed-key', 'kill-worker', 'FAIL', [], 'nothing-duplicated', [DRAIN]),
  run('copy-not-sepia', 'kill-worker', 'PASS', [], 'sepia'),
  { ...run('no-repair-sweep', 'sendmessage-fails', undefined, [], 'every-image-ends'), error: 'Error: the emulator did not start' },
  run('real', 'kill-api', 'PASS', []),
];
const adversaries = [SEED, ...MUTANTS];
const report = buildMutationReport({ adversaries, runs, breakAt: 100, root: repoRoot() });
const mutant = (name: string) => report.files[adversarySourcePath(name)].mutants.find((m) => m.id === name)!;

describe('the mutation report (StrykerJS mutation-testing-report-schema): each mutant and its status', () => {
  it('is valid against the schema: one file per adversary, its source, one mutant each', () => {
    expect(validate(report)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    // The validator bites: a status the schema does not know, or a 0 line, is refused.
    const [path, file] = Object.entries(report.files)[0];
    const broken = (m: object) => ({ ...report, files: { [path]: { ...file, mutants: [{ ...file.mutants[0], ...m }] } } });
    expect(validate(broken({ status: 'Caught' }))).toBe(false);
    expect(validate(broken({ location: { start: { line: 0, column: 1 }, end: { line: 1, column: 1 } } }))).toBe(false);
    expect(report).toMatchObject({ schemaVersion: '2', thresholds: { high: 100, low: 80, break: 100 } });
    expect(Object.keys(report.files).sort()).toEqual(adversaries.map((a) => adversarySourcePath(a.name)).sort());
    for (const [path, file] of Object.entries(report.files)) {
      expect(file.source).toBe(readFileSync(join(repoRoot(), path), 'utf8'));
      expect(file.mutants).toHaveLength(1);
    }
  });

  it('Killed only by the invariant the adversary was written to break, which is its killedBy', () => {
    expect(mutant('seed')).toMatchObject({ status: 'Killed', killedBy: ['nothing-duplicated'], coveredBy: ['sqs-outage'] });
    expect(mutant('seed').testsCompleted).toBe(1);
    const ack = mutant('ack-before-durable');
    expect(ack).toMatchObject({ status: 'Killed', killedBy: ['acknowledged-durable'] });
    expect(ack.coveredBy).toEqual(['kill-api', 'crash-between-update-and-send']);
    expect(ack.statusReason).toBe(
      `killed by kill-api (acknowledged-durable); also failed for another reason: crash-between-update-and-send: ${DRAIN}`,
    );
    expect(ack.mutatorName).toBe('ack-before-durable');
    expect(ack.replacement).toMatch(/acknowledged before it is stored/);
  });

  it('Survived when no catcher named its invariant; statusReason says what else failed the run, if anything', () => {
    const stamped = mutant('timestamped-processed-key');
    expect(stamped).toMatchObject({ status: 'Survived', statusReason: `failed for another reason: kill-worker: ${DRAIN}` });
    expect(stamped.killedBy).toBeUndefined();
    expect(mutant('copy-not-sepia')).toMatchObject({ status: 'Survived', statusReason: 'PASS under kill-worker' });
    expect(scorePercent(runs)).toBeCloseTo((2 / 5) * 100);
  });

  it('RuntimeError when the run itself broke, with its error', () => {
    expect(mutant('no-repair-sweep')).toMatchObject({ status: 'RuntimeError', testsCompleted: 0 });
    expect(mutant('no-repair-sweep').statusReason).toMatch(/^the run itself broke: sendmessage-fails: Error: the emulator did not start$/);
  });
});

describe('the mutation report: where each adversary is, and its page', () => {
  it('locates each adversary at the lines that override the real build: its class, else its build member', () => {
    const lines = (name: string) => readFileSync(join(repoRoot(), adversarySourcePath(name)), 'utf8').split('\n');
    const at = (name: string) => {
      const { start, end } = mutant(name).location;
      return { first: lines(name)[start.line - 1].slice(start.column - 1), last: lines(name)[end.line - 1].slice(0, end.column - 1) };
    };
    expect(at('ack-before-durable').first).toMatch(/^class AckBeforeDurableUploadImage \{/);
    expect(at('ack-before-durable').last).toBe('}');
    expect(at('no-repair-sweep')).toEqual({ first: 'build: { repairSweep: false },', last: '  build: { repairSweep: false }' });
    expect(at('seed').first).toBe('build: {');
    expect(at('seed').last).toBe('  }');
    expect(at('no-version-condition').first).toBe('build: {');
    expect(locateDefect('const x = 1;\nconst y = 2;')).toEqual({ start: { line: 1, column: 1 }, end: { line: 2, column: 13 } });
  });

  it('refuses an adversary whose source is not where its name says', () => {
    const unknown = { name: 'no-such-defect', description: 'x' };
    expect(() => buildMutationReport({ adversaries: [unknown], runs: [], breakAt: 100, root: repoRoot() })).toThrow(
      'adversary no-such-defect: no source at libs/adversaries/src/mutants/no-such-defect.ts',
    );
  });

  it('renders a self-contained page: the elements bundle and the report inlined, nothing able to close their script', () => {
    const tricky = { ...report, projectRoot: '</script><script>alert(1)</script>' };
    const html = mutationReportHtml(tricky, 'var MutationTestElements = "</script>";');
    expect(html).toContain('<mutation-test-report-app title-postfix="Imagery chaos mutants"></mutation-test-report-app>');
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the two script elements' own closing tags
    const data = /\.report = (.*);<\/script>/.exec(html)![1];
    expect(JSON.parse(data) as unknown).toEqual(tricky);

    const dir = mkdtempSync(join(tmpdir(), 'mutation-report-'));
    try {
      const written = writeMutationReport(dir, report);
      expect(JSON.parse(readFileSync(written.json, 'utf8')) as unknown).toEqual(report);
      const page = readFileSync(written.html, 'utf8');
      expect(page).toContain('customElements'); // the mutation-testing-elements bundle itself
      expect(page.length).toBeGreaterThan(100_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
