import { INVARIANT_ORDER, formatStats, type Violation, type VerdictCondition } from '@imagery/checker';
import type { FaultWindow, ReportData } from './report-data';

const esc = (s: unknown) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const time = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
/** Violations listed in the page; report.json holds all of them. */
const MAX_VIOLATIONS = 200;

const CONDITIONS: readonly [VerdictCondition, string][] = [
  ['checker', 'the checker found no violation'],
  ['workload', 'the workload ended normally, with a complete history'],
  ['thresholds', "the workload's thresholds held"],
  ['drain', 'the system drained'],
  ['fis', 'the FIS experiment completed'],
  ['faults', 'every fault action had an effect'],
];

/** One self-contained HTML page: the verdict and why, then the timeline, the violations with their provenance, the numbers. */
export function renderHtml(report: ReportData, timelineSvg: string, faults: readonly FaultWindow[]): string {
  const { check, verdict } = report;
  const conditions = CONDITIONS.map(([condition, promise]) => {
    const reasons = verdict.reasons.filter((r) => r.condition === condition);
    const cell = reasons.length
      ? `<td class="fail">${reasons.map((r) => `${esc(r.outcome)}: ${esc(r.message)}`).join('<br>')}</td>`
      : '<td class="pass">yes</td>';
    return `<tr><td>${esc(promise)}</td>${cell}</tr>`;
  }).join('');
  const byInvariant = new Map<string, number>();
  for (const v of check.violations) byInvariant.set(v.invariant, (byInvariant.get(v.invariant) ?? 0) + 1);
  const invariants = INVARIANT_ORDER.map((name) => {
    const n = byInvariant.get(name) ?? 0;
    const skipped = check.skipped.includes(name) ? ' (object reads skipped)' : '';
    return `<tr><td>${esc(name)}</td><td class="${n ? 'fail' : 'pass'}">${n ? `${n} violation(s)` : `holds${skipped}`}</td></tr>`;
  }).join('');
  const violations = check.violations.slice(0, MAX_VIOLATIONS).map(violationRow).join('');
  // How often each fault action fired (absent in reports written before fault effects were judged).
  const fired = (action: string) => report.historyFacts.faultEffects?.find((e) => e.action === action)?.fired;
  const faultRows = faults
    .map((f) => {
      const when = `<td>${((f.start - report.startedAt) / 1000).toFixed(1)} s</td><td>${((f.end - f.start) / 1000).toFixed(1)} s</td>`;
      const n = fired(f.action);
      const effect = n === undefined ? '<td>-</td>' : `<td class="${n ? 'pass' : 'fail'}">${n}</td>`;
      return `<tr><td>${esc(f.action)}</td><td><code>${esc(f.actionId)}</code></td>${when}${effect}</tr>`;
    })
    .join('');
  const thresholds = report.thresholds
    .map(
      (t) =>
        `<tr><td>${esc(t.name)}</td><td class="${t.ok ? 'pass' : 'fail'}">${t.ok ? 'held' : 'crossed'}</td><td>${esc(t.detail ?? '')}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(report.experiment)}: ${verdict.outcome}</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1 span{padding:.1em .5em;border-radius:4px;color:#fff}.PASS{background:#2ca02c}.FAIL{background:#d62728}.STOPPED{background:#ff7f0e}.INCONCLUSIVE{background:#9467bd}.INCOMPLETE{background:#7f7f7f}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
.pass{color:#2ca02c}.fail{color:#d62728;font-weight:600}code{font-size:12px}pre{background:#f6f6f6;padding:.6rem}
td ol{margin:0;padding-left:1.2em;font-size:12px}
</style></head><body>
<h1>${esc(report.experiment)} <span class="${verdict.outcome}">${verdict.outcome}</span></h1>
<p>${report.build === 'real' ? 'Build <b>real</b>' : `<b>Build ${esc(report.build)}</b> (an adversary, deliberately broken)`} · seed <b>${report.seed}</b> ·
${esc(time(report.startedAt))} → ${esc(time(report.finishedAt))} · load ${report.load.rate}/s for ${report.load.durationSeconds} s,
${report.load.journeys} journeys, ${report.load.requests} requests${report.fisExperimentId ? ` · FIS experiment <code>${esc(report.fisExperimentId)}</code> (${esc(report.historyFacts.fis?.state ?? 'not recorded')})` : ''}</p>
<h2>Verdict</h2><p>PASS needs every condition below.</p><table><tr><th>condition</th><th>met</th></tr>${conditions}</table>
<table><tr><th>invariant</th><th>result</th></tr>${invariants}</table>
${report.stoppedBy?.length ? `<h2>Stopped by the streaming check</h2><p>Seen broken during the run; it raised <code>imagery-invariant-violated</code>, the experiment's stop condition.</p><table><tr><th>invariant</th><th>image</th><th>what</th><th>its operations</th><th>faults that touched it</th></tr>${report.stoppedBy.slice(0, MAX_VIOLATIONS).map(violationRow).join('')}</table>` : ''}
<h2>Timeline</h2>${timelineSvg}
${violations ? `<h2>Violations</h2><table><tr><th>invariant</th><th>image</th><th>what</th><th>its operations</th><th>faults that touched it</th></tr>${violations}</table>${check.violations.length > MAX_VIOLATIONS ? `<p>… and ${check.violations.length - MAX_VIOLATIONS} more in report.json</p>` : ''}` : ''}
<h2>FIS actions</h2><table><tr><th>action</th><th>id</th><th>start</th><th>duration</th><th>effects seen</th></tr>${faultRows || '<tr><td colspan="5">none</td></tr>'}</table>
<h2>Workload thresholds</h2><table><tr><th>threshold</th><th>result</th><th>detail</th></tr>${thresholds || '<tr><td colspan="3">none</td></tr>'}</table>
<h2>Checker</h2><pre>${esc(formatStats(check.stats))}\nchecked in ${check.tookMs} ms</pre>
</body></html>
`;
}

function violationRow(v: Violation): string {
  const p = v.provenance;
  const message = v.message.split('; faults on its requests')[0].split('; during its operations')[0].split('; no fault touched it')[0];
  const ops = p
    ? `<ol>${p.operations.map((o) => `<li>${esc(o.op)}#${o.attempt} ${esc(o.type ?? 'open')} ${esc(o.status ?? '')}${o.state ? ` v${esc(o.version)} ${esc(o.state)}` : ''} at ${o.at} s <code>${esc(o.requestId)}</code></li>`).join('')}</ol>` +
      `final: ${p.item ? `v${esc(p.item.version)} ${esc(p.item.state)}` : 'no item'}; objects: ${p.objects.map((o) => `<code>${esc(o.key)}</code>`).join(', ') || 'none'}`
    : '';
  const faults = p
    ? p.faults.length
      ? `<ol>${p.faults.map((f) => `<li>${esc(f.text)} <i>(${esc(f.how)})</i></li>`).join('')}</ol>`
      : 'none'
    : '';
  return `<tr><td>${esc(v.invariant)}</td><td><code>${esc(v.ids.join(', '))}</code></td><td>${esc(message)}</td><td>${ops}</td><td>${faults}</td></tr>`;
}
