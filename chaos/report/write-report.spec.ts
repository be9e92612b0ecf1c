import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { earlyViolations, verdictOf } from '@imagery/checker';
import { withProvenance } from '@imagery/checker/provenance';
import { finalState } from '@imagery/testing/checker/run-builder';
import { A, T0, reportHistory, sampleReport } from '@imagery/testing/chaos/report-fixture';
import type { ReportData } from './report-data';
import { fisActionWindowsOf, marksOf, timelineOf } from './timeline';
import { writeReport } from './write-report';
import { useTempDirs } from '@imagery/testing/temp-dirs';

const tempDir = useTempDirs();

/** Writes the report into a fresh folder; its HTML page. */
const page = async (report: ReportData, history: Parameters<typeof writeReport>[2]) =>
  readFile(join(await writeReport(tempDir('report-'), report, history), 'report.html'), 'utf8');

describe('the report: what it reads from the history', () => {
  it('computes the per-second timeline from invocation/completion pairs', () => {
    const points = timelineOf(reportHistory(), T0, T0 + 30_000);
    expect(points).toHaveLength(30);
    expect(points[3]).toEqual({ t: 3, requests: 5, errors: 0, rejected: 5, p95Ms: 20 });
    expect(points[11]).toMatchObject({ requests: 6, errors: 1, rejected: 4, p95Ms: 400 });
  });

  it(
    'takes the fault windows from fis-action entries, kills and replacements from instance entries, ' +
      "and marks violations at their image's last operation",
    async () => {
      const { report: r, history: h } = await sampleReport(true);
      expect(fisActionWindowsOf(h, r.finishedAt)).toEqual([
        { action: 'terminate-api', actionId: 'aws:ec2:terminate-instances', start: T0 + 10_000, end: T0 + 15_000 },
      ]);
      expect(marksOf(h, r.check.violations, r.finishedAt)).toEqual([
        { at: T0 + 10_050, kind: 'terminated', label: 'i-api-1-1 terminated' },
        { at: T0 + 12_510, kind: 'violation', label: `every-image-ends ${A.slice(0, 8)}` },
        { at: T0 + 13_000, kind: 'replaced', label: 'i-api-1-2 replaces i-api-1-1' },
      ]);
    },
  );

  it(
    'writes report.json with the verdict and its inputs, and an HTML page with the timeline, ' +
      "the reasons and each violation's provenance",
    async () => {
      const { report: r, history: h } = await sampleReport(true);
      const dir = await writeReport(tempDir('report-'), r, h);
      expect(dir).toMatch(/2026-11-24T02-00-00-000Z-kill-api$/);
      const json = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { timeline: unknown[] };
      expect(json).toMatchObject({
        experiment: 'kill-api',
        seed: 7,
        verdict: { outcome: 'FAIL', reasons: [{ condition: 'checker', outcome: 'FAIL' }] },
        drain: { drained: true },
        historyFacts: { workloadOutcome: 'completed', openInvocations: 0, fis: { state: 'completed' } },
        thresholds: [{ ok: true }],
        check: { ok: false, violations: [{ invariant: 'every-image-ends', provenance: { image: A } }] },
      });
      expect(json.timeline).toHaveLength(30);
      const html = await readFile(join(dir, 'report.html'), 'utf8');
      expect(html).toContain('<span class="FAIL">FAIL</span>');
      expect(html).toMatch(/<td>the checker found no violation<\/td><td class="fail">FAIL: 1 violation\(s\): every-image-ends 1<\/td>/);
      expect(html).toMatch(/<td>the system drained<\/td><td class="pass">yes<\/td>/);
      expect(html).toContain('acknowledged upload (attempt 2, after an `info`) stuck in `uploaded` (v1)</td>');
      expect(html).toContain('crash after UpdateItem on i-api-1-1 at 12.2 s <i>(request)</i>');
      expect(html).toContain('FIS action terminate-api (aws:ec2:terminate-instances) 10.1–15.1 s <i>(overlap)</i>');
      // the timeline is a real chart: lines, the shaded window, the kill's rule and the violation's point
      const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
      expect(svg.match(/<path/g)?.length ?? 0).toBeGreaterThan(4);
      expect(svg).toContain('i-api-1-1 terminated');
      expect(svg).toContain('1 violation(s)');
    },
  );
});

describe('the report page: each verdict and why', () => {
  it('says PASS when every condition holds, and STOPPED when the experiment was stopped', async () => {
    const { report: r, history: h } = await sampleReport(false);
    expect(await page(r, h)).toContain('<span class="PASS">PASS</span>');
    const stoppedFacts = { ...r.historyFacts, fis: { state: 'stopped', reason: 'alarm' } };
    const stopped = {
      ...r,
      verdict: verdictOf({ ...r, check: r.check, history: stoppedFacts, faultEffects: r.historyFacts.faultEffects }),
    };
    const html = await page(stopped, h);
    expect(html).toContain('<span class="STOPPED">STOPPED</span>');
    expect(html).toContain('STOPPED: the FIS experiment was stopped early: alarm');
  });

  it('says INCONCLUSIVE when a fault action had no effect, and shows how often each one fired', async () => {
    const { report: r, history: h } = await sampleReport(false);
    expect(r.historyFacts.faultEffects).toEqual([
      { action: 'terminate-api', actionId: 'aws:ec2:terminate-instances', kind: 'instance', fired: 1 },
    ]);
    expect(await page(r, h)).toContain(
      '<td>terminate-api</td><td><code>aws:ec2:terminate-instances</code></td><td>10.0 s</td><td>5.0 s</td><td class="pass">1</td>',
    );
    const unfired = [{ ...r.historyFacts.faultEffects[0], fired: 0 }];
    const facts = { ...r.historyFacts, faultEffects: unfired };
    const html = await page({ ...r, historyFacts: facts, verdict: verdictOf({ ...r, history: facts, faultEffects: unfired }) }, h);
    expect(html).toContain('<span class="INCONCLUSIVE">INCONCLUSIVE</span>');
    expect(html).toContain(
      '<td>every fault action had an effect</td><td class="fail">' +
        'INCONCLUSIVE: fault action terminate-api (aws:ec2:terminate-instances) had no effect',
    );
    expect(html).toContain('<td class="fail">0</td>');
  });

  it('shows the violations the streaming check stopped the experiment on, with their provenance', async () => {
    const { report: r, history: h } = await sampleReport(true);
    const state = finalState([{ id: A, version: 0, state: 'created' }]);
    const live = earlyViolations(h, state);
    expect(live.map((v) => v.invariant)).toEqual(['acknowledged-durable']);
    const stoppedBy = withProvenance(live, { history: h, state, options: {} });
    const html = await page({ ...r, stoppedBy }, h);
    const section = html.slice(html.indexOf('<h2>Stopped by the streaming check</h2>'), html.indexOf('<h2>Timeline</h2>'));
    expect(section).toMatch(/the item is back to `created` \(v0\) after its upload was acknowledged at [\d.]+ s/);
    expect(section).toContain('crash after UpdateItem on i-api-1-1 at 12.2 s <i>(request)</i>');
    // without it, no such section
    expect(await page(r, h)).not.toContain('Stopped by the streaming check');
  });
});
