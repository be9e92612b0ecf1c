import type { HaproxyAvailability } from '../haproxy-watch';

export const verdict = (ok: boolean): string => (ok ? 'meets' : 'MISSES');

/** Milliseconds: whole from 100 up, one decimal below; '-' when there is no figure. */
export const ms = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1);

export const pct = (v: number | undefined): string => (v === undefined ? '?' : `${Math.round(v)}%`);

/** Seconds with fewer than all API servers UP / with none UP. */
export function haproxyCell(h: HaproxyAvailability | undefined): string {
  return h ? `${h.degradedSeconds} s / ${h.noneUpSeconds} s` : '-';
}

/** An indented text table: the first column left-aligned, the others right-aligned, a rule under the header. */
export function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const format = (row: string[]) => '  ' + row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [format(header), '  ' + widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format)];
}
