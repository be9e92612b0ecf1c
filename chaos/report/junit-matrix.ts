import { join } from 'node:path';
import { junitCaseOf, runErrorCase, runProperties } from './junit-case';
import { JUNIT_FILE, sharedProperties, writeJunit, type JunitSuite } from './junit-report';
import type { ReportData } from './report-data';

/** One experiment of a command: its report, or what broke the run before it had one. */
export interface MatrixEntry {
  readonly experiment: string;
  readonly build: string;
  readonly result?: { readonly report: ReportData; readonly reportDir: string };
  readonly error?: unknown;
}

/** One case per experiment run; the suite's properties are what every run shares (seed, rate, commit...). */
export function matrixJunitSuite(command: string, entries: readonly MatrixEntry[], startedAt: number): JunitSuite {
  const reports = entries.flatMap((e) => (e.result ? [e.result.report] : []));
  return {
    name: command,
    startedAt,
    properties: { command, ...sharedProperties(reports.map(runProperties)) },
    cases: entries.map((e) =>
      e.result ? junitCaseOf(e.result.report, e.result.reportDir) : runErrorCase(e.experiment, e.build, e.error ?? 'no report'),
    ),
  };
}

/**
 * Writes `<reportsDir>/matrix-<time>/junit.xml` for a command that ran several experiments, or one
 * that broke before writing its report (so CI always finds a junit.xml); returns its path. A single
 * run with a report has its own junit.xml beside report.json, and gets none here (undefined).
 */
export async function writeMatrixJunit(
  reportsDir: string,
  command: string,
  entries: readonly MatrixEntry[],
  startedAt: number,
): Promise<string | undefined> {
  if (entries.length === 1 && entries[0].result) return undefined;
  const path = join(reportsDir, `matrix-${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}`, JUNIT_FILE);
  await writeJunit(path, matrixJunitSuite(command, entries, startedAt));
  return path;
}
