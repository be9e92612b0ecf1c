/**
 * The mutation matrix: build × experiment → killed / failed for another reason / survived / error.
 * A mutant is killed only when a run's verdict names the invariant it was written to break
 * (DESIGN.md "Mutation score"): a drain timeout or a crossed threshold on a loaded machine says
 * nothing about its defect, so such catches are reported apart and not counted. It reads only a
 * run's verdict, its reasons and the invariants of its violations, so it survives checker changes.
 */

/** What one run of one build under one experiment gave. */
export interface MatrixRun {
  /** `real`, `seed`, or a mutant's name. */
  readonly build: string;
  readonly experiment: string;
  /** The report's verdict, or undefined when the run itself failed. */
  readonly verdict?: string;
  /** The invariants its violations name (report.check.violations[].invariant). */
  readonly invariants: readonly string[];
  /** The invariant the adversary's catcher expects this experiment to break. */
  readonly expected?: string;
  /** The verdict's reasons, each `condition: message` (what failed the run, besides the checker). */
  readonly reasons?: readonly string[];
  readonly error?: string;
  /** The run's wall time and its report's folder (for junit.xml); absent when the run broke before its report. */
  readonly wallSeconds?: number;
  readonly reportDir?: string;
}

/**
 * killed: FAIL naming the expected invariant. other: not PASS for another reason (other invariants,
 * drain, thresholds, STOPPED). runtime-error: the run broke, or its verdict cannot judge the build
 * (INCOMPLETE history, INCONCLUSIVE: its faults had no effect). survived: PASS.
 */
export type RunOutcome = 'killed' | 'other' | 'survived' | 'runtime-error';

/** Verdicts that say the run did not test the build, rather than that the build held or broke. */
const UNJUDGED = new Set(['INCOMPLETE', 'INCONCLUSIVE']);

export function runOutcome(run: MatrixRun): RunOutcome {
  if (run.verdict === undefined || run.error !== undefined || UNJUDGED.has(run.verdict)) return 'runtime-error';
  if (run.verdict === 'PASS') return 'survived';
  return run.verdict === 'FAIL' && run.expected !== undefined && run.invariants.includes(run.expected) ? 'killed' : 'other';
}

const unique = (list: readonly string[]) => [...new Set(list)];
/** The reasons other than the checker's own (whose invariants are listed by name). */
const otherReasons = (run: MatrixRun) => (run.reasons ?? []).filter((r) => !r.startsWith('checker:'));

/** What failed a run that did not kill its build, in full: "drain: the drain did not complete ...". */
export function otherReason(run: MatrixRun): string {
  const named = run.invariants.length ? [`${unique(run.invariants).join('+')} (expected ${run.expected ?? 'none named'})`] : [];
  const text = [...named, ...otherReasons(run)].join('; ') || (run.verdict ?? 'no verdict');
  return run.verdict === 'FAIL' ? text : `${run.verdict}: ${text}`;
}

/** The same, short enough for a matrix cell: the invariants, or the verdict's failed conditions. */
function shortReason(run: MatrixRun): string {
  const named = run.invariants.length ? [`${unique(run.invariants).join('+')} (expected ${run.expected ?? 'none named'})`] : [];
  const conditions = unique(otherReasons(run).map((r) => r.split(':')[0]));
  const text = [...named, ...conditions].join('; ') || (run.verdict ?? 'no verdict');
  return run.verdict === 'FAIL' ? text : `${run.verdict}: ${text}`;
}

export interface OtherCatch {
  readonly build: string;
  readonly experiment: string;
  readonly reason: string;
}

export interface MatrixSummary {
  /** Adversaries (mutants and the seed build), every build but `real`. */
  readonly mutants: number;
  readonly killed: readonly string[];
  /** Not killed, and every run judged (PASS or failed for another reason). */
  readonly survived: readonly string[];
  /** Not killed, and some run broke or could not judge: neither killed nor proven to survive. */
  readonly runtimeErrors: readonly string[];
  /** Runs that failed for a reason other than the adversary's own invariant: reported, not counted. */
  readonly otherCatches: readonly OtherCatch[];
  /** Experiments the real build did not PASS (each must be empty for a sound checker). */
  readonly realFailed: readonly string[];
  /** killed / mutants. */
  readonly score: number;
  readonly ok: boolean;
}

export function summarizeMatrix(runs: readonly MatrixRun[]): MatrixSummary {
  const adversaries = unique(runs.filter((r) => r.build !== 'real').map((r) => r.build));
  const outcomes = (build: string) => runs.filter((r) => r.build === build).map(runOutcome);
  const killed = adversaries.filter((m) => outcomes(m).includes('killed'));
  const runtimeErrors = adversaries.filter((m) => !killed.includes(m) && outcomes(m).includes('runtime-error'));
  const survived = adversaries.filter((m) => !killed.includes(m) && !runtimeErrors.includes(m));
  const otherCatches = runs
    .filter((r) => r.build !== 'real' && runOutcome(r) === 'other')
    .map((r) => ({ build: r.build, experiment: r.experiment, reason: otherReason(r) }));
  const real = runs.filter((r) => r.build === 'real');
  const realFailed = real.filter((r) => r.verdict !== 'PASS' || r.error !== undefined).map((r) => r.experiment);
  const score = adversaries.length ? killed.length / adversaries.length : 0;
  const ok = adversaries.length > 0 && killed.length === adversaries.length && real.length > 0 && realFailed.length === 0;
  return { mutants: adversaries.length, killed, survived, runtimeErrors, otherCatches, realFailed, score, ok };
}

const errorText = (run: MatrixRun) => (run.error ? `ERROR: ${run.error.split('\n')[0].slice(0, 80)}` : (run.verdict ?? 'ERROR'));

function cellText(run: MatrixRun | undefined): string {
  if (!run) return '·';
  if (run.build === 'real') {
    if (run.verdict === 'PASS' && run.error === undefined) return 'PASS';
    if (run.verdict === undefined || run.error !== undefined) return errorText(run);
    return `${run.verdict}: ${unique(run.invariants).join('+') || shortReason(run)}`;
  }
  switch (runOutcome(run)) {
    case 'killed': {
      const others = unique(run.invariants).filter((i) => i !== run.expected);
      return `killed: ${run.expected}${others.length ? ` (+${others.join('+')})` : ''}`;
    }
    case 'other':
      return `failed for another reason: ${shortReason(run)}`;
    case 'survived':
      return 'survived';
    case 'runtime-error':
      return errorText(run);
  }
}

/** The matrix as text: one row per build (the real build last), one column per experiment, then the score. */
export function formatMatrix(runs: readonly MatrixRun[]): string {
  const experiments = unique(runs.map((r) => r.experiment));
  const builds = unique(runs.map((r) => r.build)).sort((a, b) => Number(a === 'real') - Number(b === 'real'));
  const rows = builds.map((b) => [b, ...experiments.map((e) => cellText(runs.find((r) => r.build === b && r.experiment === e)))]);
  const header = ['build \\ experiment', ...experiments];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const s = summarizeMatrix(runs);
  return [
    line(header),
    ...rows.map(line),
    '',
    `mutation score: ${s.killed.length}/${s.mutants} killed (${Math.round(s.score * 100)} %)` +
      (s.survived.length ? `; survived: ${s.survived.join(', ')}` : '') +
      (s.runtimeErrors.length ? `; runtime errors: ${s.runtimeErrors.join(', ')}` : ''),
    ...(s.otherCatches.length ? ['other catches (not counted):'] : []),
    ...s.otherCatches.map((c) => `  ${c.build} × ${c.experiment}: ${c.reason}`),
    s.realFailed.length
      ? `the REAL build did not PASS ${s.realFailed.join(', ')}: a false alarm (or a broken run) to fix`
      : 'the real build: PASS in every experiment',
  ].join('\n');
}
