import { INVARIANT_ORDER, formatStats, type Violation, type VerdictCondition } from '@imagery/checker';
import { coverageSection } from './coverage-html';
import { esc } from './html-escape';
import type { FisActionWindow, ReportData } from './report-data';

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

const STYLE = [
  'body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}',
  'h1 span{padding:.1em .5em;border-radius:4px;color:#fff}.PASS{background:#2ca02c}.FAIL{background:#d62728}' +
    '.STOPPED{background:#ff7f0e}.INCONCLUSIVE{background:#9467bd}.INCOMPLETE{background:#7f7f7f}',
  'table{border-collapse:collapse;margin:.5rem 0 1.5rem}' +
    'td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}',
  '.pass{color:#2ca02c}.fail{color:#d62728;font-weight:600}code{font-size:12px}pre{background:#f6f6f6;padding:.6rem}',
  'td ol{margin:0;padding-left:1.2em;font-size:12px}',
].join('\n');

const VIOLATION_HEADER = '<tr><th>invariant</th><th>image</th><th>what</th><th>its operations</th><th>faults that touched it</th></tr>';

/** One self-contained HTML page: the verdict and why, then the timeline, the violations with their provenance, the numbers. */
export function renderHtml(report: ReportData, timelineSvg: string, faults: readonly FisActionWindow[]): string {
  const { check, verdict } = report;
  return `${[
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${esc(report.experiment)}: ${verdict.outcome}</title>`,
    '<style>',
    STYLE,
    '</style></head><body>',
    `<h1>${esc(report.experiment)} <span class="${verdict.outcome}">${verdict.outcome}</span></h1>`,
    summary(report),
    '<h2>Verdict</h2><p>PASS needs every condition below.</p>' +
      `<table><tr><th>condition</th><th>met</th></tr>${conditionRows(report)}</table>`,
    `<table><tr><th>invariant</th><th>result</th></tr>${invariantRows(report)}</table>`,
    stoppedBySection(report),
    `<h2>Timeline</h2>${timelineSvg}`,
    violationsSection(report),
    `<h2>FIS actions</h2><table><tr><th>action</th><th>id</th><th>start</th><th>duration</th><th>effects seen</th></tr>${
      faultRows(report, faults) || '<tr><td colspan="5">none</td></tr>'
    }</table>`,
    `<h2>Workload thresholds</h2><table><tr><th>threshold</th><th>result</th><th>detail</th></tr>${
      thresholdRows(report) || '<tr><td colspan="3">none</td></tr>'
    }</table>`,
    `<h2>Checker</h2><pre>${esc(formatStats(check.stats))}\nchecked in ${check.tookMs} ms</pre>`,
    coverageSection(report.coverage),
    '</body></html>',
  ].join('\n')}\n`;
}

/** Build, seed, when, the load, the FIS experiment. */
function summary(report: ReportData): string {
  const build = report.build === 'real' ? 'Build <b>real</b>' : `<b>Build ${esc(report.build)}</b> (an adversary, deliberately broken)`;
  const fis = report.fisExperimentId
    ? ` · FIS experiment <code>${esc(report.fisExperimentId)}</code> (${esc(report.historyFacts.fis?.state ?? 'not recorded')})`
    : '';
  const { load } = report;
  return [
    `<p>${build} · seed <b>${report.seed}</b> ·`,
    `${esc(time(report.startedAt))} → ${esc(time(report.finishedAt))} · load ${load.rate}/s for ${load.durationSeconds} s,`,
    `${load.journeys} journeys, ${load.requests} requests${fis}</p>`,
  ].join('\n');
}

function conditionRows({ verdict }: ReportData): string {
  return CONDITIONS.map(([condition, promise]) => {
    const reasons = verdict.reasons.filter((r) => r.condition === condition);
    const cell = reasons.length
      ? `<td class="fail">${reasons.map((r) => `${esc(r.outcome)}: ${esc(r.message)}`).join('<br>')}</td>`
      : '<td class="pass">yes</td>';
    return `<tr><td>${esc(promise)}</td>${cell}</tr>`;
  }).join('');
}

function invariantRows({ check }: ReportData): string {
  const byInvariant = new Map<string, number>();
  for (const v of check.violations) byInvariant.set(v.invariant, (byInvariant.get(v.invariant) ?? 0) + 1);
  return INVARIANT_ORDER.map((name) => {
    const n = byInvariant.get(name) ?? 0;
    const skipped = check.skipped.includes(name) ? ' (object reads skipped)' : '';
    return `<tr><td>${esc(name)}</td><td class="${n ? 'fail' : 'pass'}">${n ? `${n} violation(s)` : `holds${skipped}`}</td></tr>`;
  }).join('');
}

function stoppedBySection({ stoppedBy }: ReportData): string {
  if (!stoppedBy?.length) return '';
  return (
    '<h2>Stopped by the streaming check</h2><p>Seen broken during the run; it raised <code>imagery-invariant-violated</code>, ' +
    `the experiment's stop condition.</p><table>${VIOLATION_HEADER}${stoppedBy.slice(0, MAX_VIOLATIONS).map(violationRow).join('')}</table>`
  );
}

function violationsSection({ check }: ReportData): string {
  const violations = check.violations.slice(0, MAX_VIOLATIONS).map(violationRow).join('');
  if (!violations) return '';
  const more =
    check.violations.length > MAX_VIOLATIONS ? `<p>… and ${check.violations.length - MAX_VIOLATIONS} more in report.json</p>` : '';
  return `<h2>Violations</h2><table>${VIOLATION_HEADER}${violations}</table>${more}`;
}

function faultRows(report: ReportData, faults: readonly FisActionWindow[]): string {
  // How often each fault action fired (absent in reports written before fault effects were judged).
  const fired = (action: string) => report.historyFacts.faultEffects?.find((e) => e.action === action)?.fired;
  return faults
    .map((f) => {
      const when = `<td>${((f.start - report.startedAt) / 1000).toFixed(1)} s</td><td>${((f.end - f.start) / 1000).toFixed(1)} s</td>`;
      const n = fired(f.action);
      const effect = n === undefined ? '<td>-</td>' : `<td class="${n ? 'pass' : 'fail'}">${n}</td>`;
      return `<tr><td>${esc(f.action)}</td><td><code>${esc(f.actionId)}</code></td>${when}${effect}</tr>`;
    })
    .join('');
}

function thresholdRows(report: ReportData): string {
  return report.thresholds
    .map((t) => {
      const result = `<td class="${t.ok ? 'pass' : 'fail'}">${t.ok ? 'held' : 'crossed'}</td>`;
      return `<tr><td>${esc(t.name)}</td>${result}<td>${esc(t.detail ?? '')}</td></tr>`;
    })
    .join('');
}

function violationRow(v: Violation): string {
  const p = v.provenance;
  const message = v.message.split('; faults on its requests')[0].split('; during its operations')[0].split('; no fault touched it')[0];
  const ops = p ? operationsCell(p) : '';
  const faults = p
    ? p.faults.length
      ? `<ol>${p.faults.map((f) => `<li>${esc(f.text)} <i>(${esc(f.how)})</i></li>`).join('')}</ol>`
      : 'none'
    : '';
  const cells = [esc(v.invariant), `<code>${esc(v.ids.join(', '))}</code>`, esc(message), ops, faults];
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

/** The image's operations in order, then its final item and objects. */
function operationsCell(p: NonNullable<Violation['provenance']>): string {
  const operation = (o: (typeof p.operations)[number]) => {
    const version = o.state ? ` v${esc(o.version)} ${esc(o.state)}` : '';
    const what = `${esc(o.op)}#${o.attempt} ${esc(o.type ?? 'open')} ${esc(o.status ?? '')}${version}`;
    return `<li>${what} at ${o.at} s <code>${esc(o.requestId)}</code></li>`;
  };
  const item = p.item ? `v${esc(p.item.version)} ${esc(p.item.state)}` : 'no item';
  const objects = p.objects.map((o) => `<code>${esc(o.key)}</code>`).join(', ') || 'none';
  return `<ol>${p.operations.map(operation).join('')}</ol>final: ${item}; objects: ${objects}`;
}
