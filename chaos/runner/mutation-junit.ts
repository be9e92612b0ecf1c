import { classnameOf } from '../report/junit-case';
import type { JunitCase, JunitProblem, JunitSuite } from '../report/junit-report';
import { MatrixRun, otherReason, runOutcome } from './mutation-matrix';

/**
 * The mutation matrix as JUnit, one case per run. An adversary's case passes when the checker
 * caught it: its run killed it, or another run did (a catcher that missed is then no failure: the
 * catchers are alternatives). An adversary no run killed fails each of its runs (survived, or failed
 * for another reason: not counted) or errs where the run could not judge it. The real build's
 * cases are its verdicts: PASS passes, FAIL fails, anything else is an error.
 */
export function mutationJunitSuite(runs: readonly MatrixRun[], startedAt: number, properties: JunitSuite['properties']): JunitSuite {
  const killedBy = new Map<string, string>();
  for (const r of runs) if (r.build !== 'real' && runOutcome(r) === 'killed' && !killedBy.has(r.build)) killedBy.set(r.build, r.experiment);
  return { name: 'chaos mutants', startedAt, properties, cases: runs.map((r) => caseOf(r, killedBy.get(r.build))) };
}

const buildOf = (build: string) => (build === 'real' || build === 'seed' ? build : `mutant:${build}`);

function caseOf(run: MatrixRun, killedBy: string | undefined): JunitCase {
  const real = run.build === 'real';
  const problem = real ? realProblem(run) : adversaryProblem(run, killedBy);
  const report = run.reportDir ? [`report: ${run.reportDir}/report.html`] : [];
  const expected = run.expected ? `, expected to break ${run.expected}` : '';
  const judged = real ? '' : `: ${runOutcome(run)}${killedBy ? `; ${run.build} is killed by ${killedBy}` : ''}`;
  return {
    name: run.experiment,
    classname: classnameOf(buildOf(run.build)),
    seconds: run.wallSeconds ?? 0,
    ...(problem ? { problem } : {}),
    output: [...report, `${run.verdict ?? 'no verdict'}${expected}${judged}`].join('\n'),
  };
}

function realProblem(run: MatrixRun): JunitProblem | undefined {
  if (run.verdict === 'PASS' && run.error === undefined) return undefined;
  const detail = describe(run);
  if (run.verdict === 'FAIL' && run.error === undefined)
    return { kind: 'failure', type: 'FAIL', message: `the real build failed: ${(run.reasons ?? []).join('; ') || run.verdict}`, detail };
  return {
    kind: 'error',
    type: run.error !== undefined ? 'ERROR' : (run.verdict ?? 'ERROR'),
    message: `the real build was not judged: ${firstLine(run)}`,
    detail,
  };
}

function adversaryProblem(run: MatrixRun, killedBy: string | undefined): JunitProblem | undefined {
  if (killedBy !== undefined) return undefined;
  const detail = describe(run);
  switch (runOutcome(run)) {
    case 'survived':
      return {
        kind: 'failure',
        type: 'SURVIVED',
        message: `${run.build} survived: PASS (expected ${run.expected ?? 'none named'})`,
        detail,
      };
    case 'other':
      return {
        kind: 'failure',
        type: 'NOT_KILLED',
        message: `${run.build} failed for another reason (not counted): ${otherReason(run)}`,
        detail,
      };
    default:
      return {
        kind: 'error',
        type: run.error !== undefined ? 'ERROR' : (run.verdict ?? 'ERROR'),
        message: `${run.build} was not judged: ${firstLine(run)}`,
        detail,
      };
  }
}

const firstLine = (run: MatrixRun): string => (run.error ? run.error.split('\n')[0] : otherReason(run));

/** Everything the matrix knows of a run: its verdict, the reasons, the invariants, what it threw. */
function describe(run: MatrixRun): string {
  return [
    `build ${run.build} × ${run.experiment}: ${run.verdict ?? 'no verdict'}`,
    ...(run.expected ? [`expected invariant: ${run.expected}`] : []),
    ...(run.invariants.length ? [`violated: ${[...new Set(run.invariants)].join(', ')}`] : []),
    ...(run.reasons ?? []).map((r) => `  - ${r}`),
    ...(run.error ? [`the run itself failed: ${run.error}`] : []),
  ].join('\n');
}
