import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryEntry } from '@imagery/history/history-entry';
import { runJunitSuite } from './junit-case';
import { JUNIT_FILE, writeJunit } from './junit-report';
import { renderHtml } from './render-html';
import type { ReportData } from './report-data';
import { fisActionWindowsOf, marksOf, timelineOf } from './timeline';
import { timelineSvg } from './timeline-chart';

/**
 * Writes `<dir>/<time>-<experiment>[-<build>]/report.html`, `report.json` and `junit.xml`; returns the folder.
 * The timeline, the FIS windows and the marks come from the history alone. report.json and junit.xml
 * are written last, with what `finish` adds then (the run's timing, its own writing included).
 */
export async function writeReport(
  reportsDir: string,
  report: ReportData,
  history: readonly HistoryEntry[],
  finish: () => Partial<ReportData> = () => ({}),
): Promise<string> {
  const stamp = new Date(report.startedAt).toISOString().replace(/[:.]/g, '-');
  const dir = join(
    reportsDir,
    `${stamp}-${report.experiment}${report.build === 'real' ? '' : `-${report.build.replace(/[^a-z0-9-]/g, '-')}`}`,
  );
  await mkdir(dir, { recursive: true });
  const points = timelineOf(history, report.startedAt, report.finishedAt);
  const faults = fisActionWindowsOf(history, report.finishedAt);
  const marks = marksOf(history, report.check.violations, report.finishedAt);
  const svg = await timelineSvg(points, faults, marks, report.startedAt);
  await writeFile(join(dir, 'report.html'), renderHtml(report, svg, faults));
  const finished = { ...report, ...finish() };
  await writeFile(join(dir, 'report.json'), JSON.stringify({ ...finished, faults, marks, timeline: points }, null, 2));
  await writeJunit(join(dir, JUNIT_FILE), runJunitSuite(finished, dir));
  return dir;
}
