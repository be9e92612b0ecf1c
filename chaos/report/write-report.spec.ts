import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEvent } from '../history/history-event';
import type { ReportData } from './report-data';
import { timelineOf } from './timeline';
import { writeReport } from './write-report';

const T0 = Date.UTC(2026, 10, 24, 2, 0, 0);

/** 30 s of history: 5 requests/s, slow and failing between 10 s and 15 s (the fault window). */
function history(): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (let s = 0; s < 30; s++) {
    for (let i = 0; i < 5; i++) {
      const faulty = s >= 10 && s < 15;
      const start = T0 + s * 1000 + i * 150;
      events.push({ start, end: start + (faulty ? 400 : 20), op: 'get', id: `id-${s}-${i}`, status: faulty && i === 0 ? 503 : 200, attempt: 1 });
    }
  }
  return events;
}

function report(violations: ReportData['check']['violations']): ReportData {
  return {
    experiment: 'kill-api',
    build: 'real',
    seed: 7,
    startedAt: T0,
    finishedAt: T0 + 30_000,
    fisExperimentId: 'EXP123',
    fisState: 'completed',
    load: { rate: 5, durationSeconds: 30, requests: 150, journeys: 50 },
    faults: [{ action: 'terminate-api', actionId: 'aws:ec2:terminate-instances', start: T0 + 10_000, end: T0 + 15_000 }],
    marks: [
      { at: T0 + 10_000, kind: 'terminated', label: 'i-api-1-1 terminated' },
      { at: T0 + 13_000, kind: 'replaced', label: 'i-api-1-2 healthy' },
    ],
    thresholds: [{ metric: 'http_req_duration', threshold: 'p(95)<500', ok: true }],
    check: { ok: violations.length === 0, violations, stats: {} as never },
    verdict: violations.length === 0 ? 'PASS' : 'FAIL',
  };
}

describe('the report', () => {
  it('computes the per-second timeline from the history', () => {
    const points = timelineOf(history(), T0, T0 + 30_000);
    expect(points).toHaveLength(30);
    expect(points[3]).toEqual({ t: 3, requests: 5, errors: 0, p95Ms: 20 });
    expect(points[12]).toMatchObject({ requests: 5, errors: 1, p95Ms: 400 });
  });

  it('writes report.json and an HTML page with the drawn timeline and the verdict', async () => {
    const dir = await writeReport(await mkdtemp(join(tmpdir(), 'report-')), report([{ invariant: 'nothing-lost', ids: ['abc'], message: 'upload acknowledged, image still uploaded' }]), history());
    expect(dir).toMatch(/2026-11-24T02-00-00-000Z-kill-api$/);
    const json = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(json).toMatchObject({ experiment: 'kill-api', seed: 7, verdict: 'FAIL' });
    expect(json.timeline).toHaveLength(30);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<span class="FAIL">FAIL</span>');
    expect(html).toMatch(/<td>nothing-lost<\/td><td class="fail">1 violation/);
    expect(html).toContain('upload acknowledged, image still uploaded');
    // the timeline is a real chart: lines (paths) and the shaded fault window (a rect mark)
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg.match(/<path/g)?.length ?? 0).toBeGreaterThan(4);
    expect(svg).toContain('i-api-1-1 terminated');
  });

  it('says PASS when the checker found nothing', async () => {
    const dir = await writeReport(await mkdtemp(join(tmpdir(), 'report-')), report([]), history());
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('<span class="PASS">PASS</span>');
  });
});
