import { childrenNamed, parseXml } from '@imagery/testing/chaos/parse-xml';
import { junitXml } from '../report/junit-report';
import type { MatrixRun } from './mutation-matrix';
import { mutationJunitSuite } from './mutation-junit';

const run = (r: Partial<MatrixRun> & Pick<MatrixRun, 'build' | 'experiment'>): MatrixRun => ({ invariants: [], ...r });

/** Each case as [classname, name, its first child's tag, that child's type]. */
function cases(runs: readonly MatrixRun[]) {
  const root = parseXml(junitXml(mutationJunitSuite(runs, Date.UTC(2026, 11, 6), { command: 'chaos mutants', seed: 1 })));
  const [suite] = childrenNamed(root, 'testsuite');
  return {
    suite: suite.attributes,
    cases: childrenNamed(suite, 'testcase').map((c) => [
      c.attributes.classname,
      c.attributes.name,
      c.children[0].tag,
      c.children[0].attributes.type,
    ]),
    messages: childrenNamed(suite, 'testcase').map((c) => c.children[0].attributes.message),
    outputs: childrenNamed(suite, 'testcase').map((c) => childrenNamed(c, 'system-out')[0].text),
  };
}

describe('junit.xml of the mutation matrix (npm run chaos -- mutants)', () => {
  it('passes an adversary the checker caught, even under a catcher that missed it first, and the real build PASSing', () => {
    const {
      suite,
      cases: c,
      outputs,
    } = cases([
      run({
        build: 'seed',
        experiment: 'kill-api',
        verdict: 'FAIL',
        invariants: ['drained'],
        expected: 'nothing-duplicated',
        reasons: [],
        wallSeconds: 30,
      }),
      run({
        build: 'seed',
        experiment: 'updateitem-fails-mid-transition',
        verdict: 'FAIL',
        invariants: ['nothing-duplicated'],
        expected: 'nothing-duplicated',
        wallSeconds: 40,
        reportDir: '/r/2',
      }),
      run({ build: 'real', experiment: 'kill-api', verdict: 'PASS', wallSeconds: 25 }),
    ]);
    expect(suite).toMatchObject({ name: 'chaos mutants', tests: '3', failures: '0', errors: '0', time: '95.000' });
    expect(c).toEqual([
      ['chaos.seed', 'kill-api', 'system-out', undefined],
      ['chaos.seed', 'updateitem-fails-mid-transition', 'system-out', undefined],
      ['chaos.real', 'kill-api', 'system-out', undefined],
    ]);
    expect(outputs).toEqual([
      'FAIL, expected to break nothing-duplicated: other; seed is killed by updateitem-fails-mid-transition',
      'report: /r/2/report.html\nFAIL, expected to break nothing-duplicated: killed; seed is killed by updateitem-fails-mid-transition',
      'PASS',
    ]);
  });

  it('fails a mutant that survived or failed for another reason, errs where a run could not judge, fails a real FAIL', () => {
    const {
      suite,
      cases: c,
      messages,
    } = cases([
      run({ build: 'lost-send', experiment: 'sendmessage-fails', verdict: 'PASS', expected: 'every-image-ends' }),
      run({
        build: 'dup-render',
        experiment: 'kill-worker',
        verdict: 'FAIL',
        reasons: ['drain: the drain did not complete after 30 s'],
        expected: 'sepia',
      }),
      run({ build: 'stale-read', experiment: 'storm', error: 'Error: the fleet did not start' }),
      run({ build: 'no-repair', experiment: 'sqs-outage', verdict: 'INCONCLUSIVE', reasons: ['faults: fault action x had no effect'] }),
      run({
        build: 'real',
        experiment: 'kill-worker',
        verdict: 'FAIL',
        invariants: ['sepia'],
        reasons: ['checker: 1 violation(s): sepia 1'],
      }),
      run({ build: 'real', experiment: 'storm', verdict: 'STOPPED', reasons: ['fis: the FIS experiment was stopped early'] }),
    ]);
    expect(suite).toMatchObject({ tests: '6', failures: '3', errors: '3' });
    expect(c).toEqual([
      ['chaos.mutant.lost-send', 'sendmessage-fails', 'failure', 'SURVIVED'],
      ['chaos.mutant.dup-render', 'kill-worker', 'failure', 'NOT_KILLED'],
      ['chaos.mutant.stale-read', 'storm', 'error', 'ERROR'],
      ['chaos.mutant.no-repair', 'sqs-outage', 'error', 'INCONCLUSIVE'],
      ['chaos.real', 'kill-worker', 'failure', 'FAIL'],
      ['chaos.real', 'storm', 'error', 'STOPPED'],
    ]);
    expect(messages).toEqual([
      'lost-send survived: PASS (expected every-image-ends)',
      'dup-render failed for another reason (not counted): drain: the drain did not complete after 30 s',
      'stale-read was not judged: Error: the fleet did not start',
      'no-repair was not judged: INCONCLUSIVE: faults: fault action x had no effect',
      'the real build failed: checker: 1 violation(s): sepia 1',
      'the real build was not judged: STOPPED: fis: the FIS experiment was stopped early',
    ]);
  });
});
