import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryEntry } from '@imagery/history/history-entry';
import { renderHtml } from './render-html';
import type { ReportData } from './report-data';
import { fisActionWindowsOf, marksOf, timelineOf } from './timeline';
import { timelineSvg } from './timeline-chart';

/**
 * Writes `<dir>/<time>-<experiment>[-<build>]/report.html` and `report.json`; returns the folder.
 * The timeline, the FIS windows and the marks come from the history alone. report.json is written
 * last, with what `finish` adds then (the run's timing, its own writing included).
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
  await writeFile(join(dir, 'report.json'), JSON.stringify({ ...report, ...finish(), faults, marks, timeline: points }, null, 2));
  return dir;
}
