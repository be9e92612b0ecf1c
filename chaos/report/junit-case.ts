import { formatVerdict, type VerdictOutcome } from '@imagery/checker/verdict';
import type { Violation } from '@imagery/checker/violation';
import type { JunitCase, JunitProblem, JunitProperties, JunitSuite } from './junit-report';
import type { ReportData } from './report-data';

/**
 * One run's verdict as a test case. FAIL is a `failure`: the system broke a promise (a violation,
 * a crossed threshold, a drain that timed out). INCONCLUSIVE, INCOMPLETE and STOPPED are `error`s:
 * nothing was shown broken, but the run could not judge the build (no chaos, a cut history, faults
 * ended early), and a reporter must not count that as a pass either.
 */
const PROBLEM_KIND: Record<VerdictOutcome, JunitProblem['kind'] | undefined> = {
  PASS: undefined,
  FAIL: 'failure',
  INCONCLUSIVE: 'error',
  INCOMPLETE: 'error',
  STOPPED: 'error',
};

/** Violations listed in full in a case; the rest are counted (report.json has every one). */
const LISTED_VIOLATIONS = 100;
/** A message attribute is one line a reporter shows in a list: long enough for the reasons, not a page. */
const MESSAGE_CHARS = 1000;

/** `chaos.real`, `chaos.seed`, `chaos.mutant.<name>`: the build, as a class reporters group by. */
export const classnameOf = (build: string): string => `chaos.${build.replace(/:/g, '.')}`;

/** The run's own facts a reader of CI needs to rerun it: seed, rate, commit. */
export function runProperties(report: ReportData): JunitProperties {
  return {
    experiment: report.experiment,
    build: report.build,
    seed: report.seed,
    rate: report.load.rate,
    commit: report.replay?.commit,
    dirty: report.replay?.dirty,
    verdict: report.verdict.outcome,
    fisExperimentId: report.fisExperimentId,
  };
}

/** The run's wall time: its measured timing when the report has it, else from its start to its end. */
export const wallSecondsOf = (report: ReportData): number => (report.timing?.wallMs ?? report.finishedAt - report.startedAt) / 1000;

export function junitCaseOf(report: ReportData, reportDir?: string): JunitCase {
  const kind = PROBLEM_KIND[report.verdict.outcome];
  return {
    name: report.experiment,
    classname: classnameOf(report.build),
    seconds: wallSecondsOf(report),
    ...(kind ? { problem: problemOf(kind, report) } : {}),
    output: [
      ...(reportDir ? [`report: ${reportDir}/report.html`] : []),
      `build ${report.build}, seed ${report.seed}, rate ${report.load.rate} images/s` +
        (report.replay ? `, commit ${report.replay.commit}${report.replay.dirty ? ' (dirty)' : ''}` : ''),
      `${report.load.journeys} journeys, ${report.load.requests} requests, ${report.faultsInjected ?? 0} API faults injected, ` +
        `${report.check.violations.length} violation(s)`,
    ].join('\n'),
  };
}

/** One run's junit.xml: a suite of one case, with the run's properties. */
export const runJunitSuite = (report: ReportData, reportDir?: string): JunitSuite => ({
  name: `chaos ${report.experiment}`,
  startedAt: report.startedAt,
  properties: runProperties(report),
  cases: [junitCaseOf(report, reportDir)],
});

/** A run that broke before it had a verdict (no report): an `error`, with what it threw. */
export function runErrorCase(experiment: string, build: string, error: unknown, seconds = 0): JunitCase {
  const message = error instanceof Error ? error.message : String(error);
  const detail = error instanceof Error && error.stack ? error.stack : message;
  return {
    name: experiment,
    classname: classnameOf(build),
    seconds,
    problem: { kind: 'error', type: 'ERROR', message: oneLine(`the run itself failed: ${message}`), detail },
  };
}

function problemOf(kind: JunitProblem['kind'], report: ReportData): JunitProblem {
  const { outcome, reasons } = report.verdict;
  // The reasons that make the verdict what it is first: a reporter's one line names the cause.
  const decisive = reasons.filter((r) => r.outcome === outcome);
  const message = `${outcome}: ${decisive.map((r) => `${r.condition}: ${r.message}`).join('; ')}`;
  const violations = report.check.violations;
  const listed = violations.slice(0, LISTED_VIOLATIONS).map(violationLine);
  const more = violations.length > listed.length ? [`  ... and ${violations.length - listed.length} more (report.json)`] : [];
  const detail = [formatVerdict(report.verdict), ...(violations.length ? [`violations (${violations.length}):`, ...listed, ...more] : [])];
  return { kind, type: outcome, message: oneLine(message), detail: detail.join('\n') };
}

/** `  sepia [id1, id2]: the message` */
const violationLine = (v: Violation): string => `  ${v.invariant}${v.ids.length ? ` [${v.ids.join(', ')}]` : ''}: ${v.message}`;

function oneLine(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > MESSAGE_CHARS ? `${flat.slice(0, MESSAGE_CHARS - 1)}…` : flat;
}
