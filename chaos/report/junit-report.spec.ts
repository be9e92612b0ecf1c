import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verdictOf } from '@imagery/checker';
import { childrenNamed, parseXml, type XmlNode } from '@imagery/testing/chaos/parse-xml';
import { A, T0, sampleReport } from '@imagery/testing/chaos/report-fixture';
import { matrixJunitSuite, writeMatrixJunit } from './junit-matrix';
import { junitXml } from './junit-report';
import type { ReportData } from './report-data';
import { writeReport } from './write-report';
import { useTempDirs } from '@imagery/testing/temp-dirs';

const tempDir = useTempDirs();

const REPLAY = { commit: '0123abc', dirty: false } as ReportData['replay'];

/** The sample run (a FAIL, or a PASS), with its timing and its commit. */
async function run(broken: boolean): Promise<{ report: ReportData; history: Awaited<ReturnType<typeof sampleReport>>['history'] }> {
  const { report, history } = await sampleReport(broken);
  return { report: { ...report, replay: REPLAY, timing: { planSeconds: 30, wallMs: 41_250, phases: [] } }, history };
}

/** The same run where the one fault action had no effect: INCONCLUSIVE. */
function inconclusive(r: ReportData): ReportData {
  const faultEffects = [{ ...r.historyFacts.faultEffects[0], fired: 0 }];
  const historyFacts = { ...r.historyFacts, faultEffects };
  return { ...r, experiment: 'kill-worker', historyFacts, verdict: verdictOf({ ...r, history: historyFacts, faultEffects }) };
}

/** testsuites > testsuite: the one suite, checked to be the only one. */
function suiteOf(xml: string): XmlNode {
  const root = parseXml(xml);
  expect(root.tag).toBe('testsuites');
  const suites = childrenNamed(root, 'testsuite');
  expect(suites).toHaveLength(1);
  return suites[0];
}

const properties = (suite: XmlNode) =>
  Object.fromEntries(childrenNamed(childrenNamed(suite, 'properties')[0], 'property').map((p) => [p.attributes.name, p.attributes.value]));

describe('junit.xml of one run', () => {
  it('is written beside report.json: a FAIL is a <failure> naming each violation, its ids and message', async () => {
    const { report, history } = await run(true);
    const dir = await writeReport(tempDir('junit-'), report, history);
    const xml = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    const root = parseXml(xml);
    expect(root.attributes).toMatchObject({ tests: '1', failures: '1', errors: '0', time: '41.250' });
    const suite = suiteOf(xml);
    expect(suite.attributes).toEqual({
      name: 'chaos kill-api',
      tests: '1',
      failures: '1',
      errors: '0',
      skipped: '0',
      time: '41.250',
      timestamp: '2026-11-24T02:00:00',
    });
    expect(properties(suite)).toEqual({
      experiment: 'kill-api',
      build: 'real',
      seed: '7',
      rate: '5',
      commit: '0123abc',
      dirty: 'false',
      verdict: 'FAIL',
      fisExperimentId: 'EXP1',
    });
    const [testcase] = childrenNamed(suite, 'testcase');
    expect(testcase.attributes).toEqual({ name: 'kill-api', classname: 'chaos.real', time: '41.250' });
    const [failure] = childrenNamed(testcase, 'failure');
    expect(failure.attributes).toEqual({ type: 'FAIL', message: 'FAIL: checker: 1 violation(s): every-image-ends 1' });
    expect(failure.text).toContain('verdict: FAIL\n  - checker (FAIL): 1 violation(s): every-image-ends 1\nviolations (1):\n');
    const [violation] = report.check.violations;
    expect(failure.text).toContain(`  every-image-ends [${A}]: ${violation.message}`);
    expect(childrenNamed(testcase, 'error')).toHaveLength(0);
    const [out] = childrenNamed(testcase, 'system-out');
    expect(out.text).toContain(`report: ${dir}/report.html`);
    expect(out.text).toContain('build real, seed 7, rate 5 images/s, commit 0123abc');
  });

  it('makes INCONCLUSIVE an <error> (no chaos is no proof), with the reason as its message', async () => {
    const { report, history } = await run(false);
    const dir = await writeReport(tempDir('junit-'), inconclusive(report), history);
    const suite = suiteOf(await readFile(join(dir, 'junit.xml'), 'utf8'));
    expect(suite.attributes).toMatchObject({ tests: '1', failures: '0', errors: '1' });
    const [testcase] = childrenNamed(suite, 'testcase');
    expect(testcase.attributes).toMatchObject({ name: 'kill-worker', classname: 'chaos.real' });
    expect(childrenNamed(testcase, 'failure')).toHaveLength(0);
    const [error] = childrenNamed(testcase, 'error');
    expect(error.attributes.type).toBe('INCONCLUSIVE');
    expect(error.attributes.message).toMatch(
      /^INCONCLUSIVE: faults: fault action terminate-api \(aws:ec2:terminate-instances\) had no effect/,
    );
    expect(error.text).toContain('verdict: INCONCLUSIVE');
  });

  it('passes a PASS, and makes STOPPED and INCOMPLETE errors too', async () => {
    const { report } = await run(false);
    const pass = suiteOf(
      junitXml(matrixJunitSuite('c', [{ experiment: 'kill-api', build: 'real', result: { report, reportDir: '/r' } }], T0)),
    );
    expect(pass.attributes).toMatchObject({ tests: '1', failures: '0', errors: '0' });
    expect(childrenNamed(pass, 'testcase')[0].children.map((c) => c.tag)).toEqual(['system-out']);
    for (const outcome of ['STOPPED', 'INCOMPLETE'] as const) {
      const verdict = { outcome, reasons: [{ condition: 'fis' as const, outcome, message: 'the FIS experiment was stopped early' }] };
      const xml = junitXml(
        matrixJunitSuite('c', [{ experiment: 'x', build: 'real', result: { report: { ...report, verdict }, reportDir: '/r' } }], T0),
      );
      expect(childrenNamed(childrenNamed(suiteOf(xml), 'testcase')[0], 'error')[0].attributes.type).toBe(outcome);
    }
  });
});

describe('junit.xml of a matrix (npm run chaos -- all, or several experiments)', () => {
  it('holds one case per run, a run that broke as an <error>, and the properties every run shares', async () => {
    const { report: failed } = await run(true);
    const { report: passed } = await run(false);
    const reportsDir = tempDir('junit-matrix-');
    const path = await writeMatrixJunit(
      reportsDir,
      'chaos all --seed 7',
      [
        { experiment: 'kill-api', build: 'seed', result: { report: { ...failed, build: 'seed' }, reportDir: '/r/1' } },
        { experiment: 'kill-worker', build: 'seed', result: { report: inconclusive({ ...passed, build: 'seed' }), reportDir: '/r/2' } },
        { experiment: 'sqs-outage', build: 'seed', error: new Error('the platform did not start: <port 4566 & "busy">') },
        { experiment: 'storm', build: 'seed', result: { report: { ...passed, experiment: 'storm', build: 'seed' }, reportDir: '/r/4' } },
      ],
      T0,
    );
    expect(path).toBe(join(reportsDir, 'matrix-2026-11-24T02-00-00-000Z', 'junit.xml'));
    const suite = suiteOf(await readFile(path!, 'utf8'));
    expect(suite.attributes).toMatchObject({ name: 'chaos all --seed 7', tests: '4', failures: '1', errors: '2', time: '123.750' });
    expect(properties(suite)).toEqual({
      command: 'chaos all --seed 7',
      build: 'seed',
      seed: '7',
      rate: '5',
      commit: '0123abc',
      dirty: 'false',
      fisExperimentId: 'EXP1',
    });
    const cases = childrenNamed(suite, 'testcase');
    expect(cases.map((c) => [c.attributes.name, c.attributes.classname, c.children[0].tag])).toEqual([
      ['kill-api', 'chaos.seed', 'failure'],
      ['kill-worker', 'chaos.seed', 'error'],
      ['sqs-outage', 'chaos.seed', 'error'],
      ['storm', 'chaos.seed', 'system-out'],
    ]);
    expect(cases[2].children[0].attributes).toEqual({
      type: 'ERROR',
      message: 'the run itself failed: the platform did not start: <port 4566 & "busy">',
    });
  });

  it('is not written for one run that has its own junit.xml, and is for one that broke before it had one', async () => {
    const { report } = await run(false);
    const dir = tempDir('junit-matrix-');
    expect(
      await writeMatrixJunit(dir, 'chaos kill-api', [{ experiment: 'kill-api', build: 'real', result: { report, reportDir: '/r' } }], T0),
    ).toBeUndefined();
    const broken = await writeMatrixJunit(
      dir,
      'chaos kill-api',
      [{ experiment: 'kill-api', build: 'mutant:lost-send', error: 'boom' }],
      T0,
    );
    const [testcase] = childrenNamed(suiteOf(await readFile(broken!, 'utf8')), 'testcase');
    expect(testcase.attributes).toEqual({ name: 'kill-api', classname: 'chaos.mutant.lost-send', time: '0.000' });
    expect(testcase.children[0].attributes.message).toBe('the run itself failed: boom');
  });
});
