/**
 * The mutation matrix: build × experiment → caught (which invariants) / missed. It reads only a
 * run's verdict and the invariants of its violations, so it survives changes to the checker.
 */

/** What one run of one build under one experiment gave. */
export interface MatrixRun {
  /** `real`, or a mutant's name. */
  readonly build: string;
  readonly experiment: string;
  /** The report's verdict, or undefined when the run itself failed. */
  readonly verdict?: string;
  /** The invariants its violations name (report.check.violations[].invariant). */
  readonly invariants: readonly string[];
  /** The invariant the mutant's definition expects this experiment to break. */
  readonly expected?: string;
  readonly error?: string;
}

export type CellOutcome = 'caught' | 'missed' | 'error';

export const outcomeOf = (run: MatrixRun): CellOutcome => (run.verdict === undefined ? 'error' : run.verdict === 'PASS' ? 'missed' : 'caught');

/**
 * A mutant's failed run counts only if it broke something the real build's run of the same
 * experiment did not: on a loaded machine both may miss the drain deadline, and that says nothing
 * about the mutant's defect.
 */
function mutantOutcome(run: MatrixRun, runs: readonly MatrixRun[]): CellOutcome | 'noise' {
  const outcome = outcomeOf(run);
  if (outcome !== 'caught') return outcome;
  const real = runs.find((r) => r.build === 'real' && r.experiment === run.experiment);
  if (!real || outcomeOf(real) !== 'caught') return 'caught';
  const own = new Set(run.invariants);
  return [...own].some((i) => !real.invariants.includes(i)) ? 'caught' : 'noise';
}

export interface MatrixSummary {
  readonly mutants: number;
  readonly caught: readonly string[];
  readonly missed: readonly string[];
  /** Mutants with a failed run and no catch: neither caught nor proven missed. */
  readonly errored: readonly string[];
  /** Experiments that caught the real build (each must be empty for a sound checker). */
  readonly realCaughtBy: readonly string[];
  /** caught / mutants. */
  readonly score: number;
  readonly ok: boolean;
}

export function summarize(runs: readonly MatrixRun[]): MatrixSummary {
  const mutants = [...new Set(runs.filter((r) => r.build !== 'real').map((r) => r.build))];
  const caught = mutants.filter((m) => runs.some((r) => r.build === m && mutantOutcome(r, runs) === 'caught'));
  const errored = mutants.filter((m) => !caught.includes(m) && runs.some((r) => r.build === m && outcomeOf(r) === 'error'));
  const missed = mutants.filter((m) => !caught.includes(m) && !errored.includes(m));
  const real = runs.filter((r) => r.build === 'real');
  const realCaughtBy = real.filter((r) => outcomeOf(r) !== 'missed').map((r) => r.experiment);
  const score = mutants.length ? caught.length / mutants.length : 0;
  return { mutants: mutants.length, caught, missed, errored, realCaughtBy, score, ok: mutants.length > 0 && caught.length === mutants.length && real.length > 0 && realCaughtBy.length === 0 };
}

function cellText(run: MatrixRun | undefined, runs: readonly MatrixRun[]): string {
  if (!run) return '·';
  if (run.build === 'real') {
    const outcome = outcomeOf(run);
    return outcome === 'missed' ? 'PASS' : outcome === 'error' ? 'ERROR' : `FALSE ALARM: ${[...new Set(run.invariants)].join('+') || run.verdict}`;
  }
  switch (mutantOutcome(run, runs)) {
    case 'noise':
      return `noise: ${[...new Set(run.invariants)].join('+') || run.verdict} (as the real build)`;
    case 'error':
      return 'ERROR';
    case 'missed':
      return 'missed';
    case 'caught': {
      const names = [...new Set(run.invariants)];
      const mark = run.expected && !names.includes(run.expected) ? ` (expected ${run.expected})` : '';
      return `caught: ${names.length ? names.join('+') : run.verdict}${mark}`;
    }
  }
}

/** The matrix as text: one row per build (the real build last), one column per experiment. */
export function formatMatrix(runs: readonly MatrixRun[]): string {
  const experiments = [...new Set(runs.map((r) => r.experiment))];
  const builds = [...new Set(runs.map((r) => r.build))].sort((a, b) => Number(a === 'real') - Number(b === 'real'));
  const rows = builds.map((b) => [b, ...experiments.map((e) => cellText(runs.find((r) => r.build === b && r.experiment === e), runs))]);
  const header = ['build \\ experiment', ...experiments];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const s = summarize(runs);
  return [
    line(header),
    ...rows.map(line),
    '',
    `mutation score: ${s.caught.length}/${s.mutants} caught (${Math.round(s.score * 100)} %)` +
      (s.missed.length ? `; missed: ${s.missed.join(', ')}` : '') +
      (s.errored.length ? `; runs failed: ${s.errored.join(', ')}` : ''),
    s.realCaughtBy.length ? `the REAL build was caught by (or failed to run) ${s.realCaughtBy.join(', ')}: a false alarm to fix` : 'the real build: caught by none',
  ].join('\n');
}
