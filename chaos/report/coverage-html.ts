import { type CoverageRow, formatReached } from './coverage';
import { esc } from './html-escape';

/** The report's coverage table: every named recovery path and how often this run reached it. */
export function coverageSection(coverage: readonly CoverageRow[] | undefined): string {
  if (!coverage) return '';
  const reached = coverage.filter((r) => r.reached > 0).length;
  const rows = coverage
    .map((r) => {
      const count = `<td class="${r.reached ? 'pass' : ''}">${esc(formatReached(r))}</td>`;
      return `<tr><td><code>${esc(r.path)}</code></td>${count}<td>${esc(r.description)}</td></tr>`;
    })
    .join('');
  return (
    `<h2>Recovery paths</h2><p>${reached} of ${coverage.length} named recovery paths reached in this run ` +
    '(each is marked in the code where the recovery happens and counted by the instances as they take it).</p>' +
    `<table><tr><th>path</th><th>reached</th><th>what it is</th></tr>${rows}</table>`
  );
}
