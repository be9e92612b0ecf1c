import { INVARIANT_ORDER, formatStats } from '../checker';
import type { ReportData } from './report-data';

const esc = (s: unknown) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** One self-contained HTML page: verdict first, then the drawn timeline, thresholds and violations. */
export function renderHtml(report: ReportData, timelineSvg: string): string {
  const { check } = report;
  const byInvariant = new Map<string, number>();
  for (const v of check.violations) byInvariant.set(v.invariant, (byInvariant.get(v.invariant) ?? 0) + 1);
  const rows = INVARIANT_ORDER
    .map((name) => {
      const n = byInvariant.get(name) ?? 0;
      return `<tr><td>${esc(name)}</td><td class="${n ? 'fail' : 'pass'}">${n ? `${n} violation(s)` : 'holds'}</td></tr>`;
    })
    .join('');
  const violations = check.violations
    .slice(0, 200)
    .map((v) => `<li><b>${esc(v.invariant)}</b> ${esc(v.message)} <code>${esc(v.ids.join(', '))}</code></li>`)
    .join('');
  const thresholds = report.thresholds.map((t) => `<tr><td><code>${esc(t.metric)}</code></td><td><code>${esc(t.threshold)}</code></td><td class="${t.ok ? 'pass' : 'fail'}">${t.ok ? 'ok' : 'crossed'}</td></tr>`).join('');
  const faults = report.faults.map((f) => `<tr><td>${esc(f.action)}</td><td><code>${esc(f.actionId)}</code></td><td>${((f.start - report.startedAt) / 1000).toFixed(1)} s</td><td>${((f.end - f.start) / 1000).toFixed(1)} s</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(report.experiment)}: ${report.verdict}</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#222}
h1 span{padding:.1em .5em;border-radius:4px;color:#fff}.PASS{background:#2ca02c}.FAIL{background:#d62728}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left}
.pass{color:#2ca02c}.fail{color:#d62728;font-weight:600}code{font-size:12px}pre{background:#f6f6f6;padding:.6rem}
</style></head><body>
<h1>${esc(report.experiment)} <span class="${report.verdict}">${report.verdict}</span></h1>
<p>${report.build === 'naive' ? '<b>Naive build</b> (deliberately broken). ' : ''}Seed <b>${report.seed}</b> ·
${esc(time(report.startedAt))} → ${esc(time(report.finishedAt))} · load ${report.load.rate}/s for ${report.load.durationSeconds} s,
${report.load.journeys} journeys, ${report.load.requests} requests${report.fisExperimentId ? ` · FIS experiment <code>${esc(report.fisExperimentId)}</code> (${esc(report.fisState)})` : ''}</p>
<h2>Verdict</h2><table><tr><th>invariant</th><th>result</th></tr>${rows}</table>
<h2>Timeline</h2>${timelineSvg}
<h2>Faults</h2><table><tr><th>action</th><th>id</th><th>start</th><th>duration</th></tr>${faults || '<tr><td colspan="4">none</td></tr>'}</table>
<h2>workload thresholds</h2><table><tr><th>metric</th><th>threshold</th><th>result</th></tr>${thresholds || '<tr><td colspan="3">none</td></tr>'}</table>
<h2>Checker</h2><pre>${esc(formatStats(check.stats))}</pre>
${violations ? `<h2>Violations</h2><ul>${violations}</ul>${check.violations.length > 200 ? `<p>… and ${check.violations.length - 200} more in report.json</p>` : ''}` : ''}
</body></html>
`;
}
