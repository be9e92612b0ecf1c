import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryEvent } from '../history/history-event';
import { renderHtml } from './render-html';
import type { ReportData } from './report-data';
import { timelineOf } from './timeline';
import { timelineSvg } from './timeline-chart';

/** Writes `<dir>/<time>-<experiment>/report.json` and `report.html`; returns the folder. */
export async function writeReport(reportsDir: string, report: ReportData, history: readonly HistoryEvent[]): Promise<string> {
  const stamp = new Date(report.startedAt).toISOString().replace(/[:.]/g, '-');
  const dir = join(reportsDir, `${stamp}-${report.experiment}${report.build === 'real' ? '' : `-${report.build.replace(/[^a-z0-9-]/g, '-')}`}`);
  await mkdir(dir, { recursive: true });
  const points = timelineOf(history, report.startedAt, report.finishedAt);
  const svg = await timelineSvg(points, report.faults, report.marks, report.startedAt);
  await writeFile(join(dir, 'report.json'), JSON.stringify({ ...report, timeline: points }, null, 2));
  await writeFile(join(dir, 'report.html'), renderHtml(report, svg));
  return dir;
}
