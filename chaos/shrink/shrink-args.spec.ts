import { parseShrinkArgs } from './shrink-args';

const NOW = new Date(Date.UTC(2026, 11, 6, 16, 30, 5, 120));

describe('parseShrinkArgs', () => {
  it('takes a report, a 15 minute budget by default, and writes beside the report', () => {
    expect(parseShrinkArgs(['chaos/reports/run-1/report.json'], NOW)).toEqual({
      reportPath: 'chaos/reports/run-1/report.json',
      budgetMs: 15 * 60_000,
      confirmations: 1,
      outDir: 'chaos/reports/run-1/shrink-2026-12-06T16-30-05-120Z',
    });
  });

  it('reads --budget as a duration, --invariant, --confirm and --out', () => {
    expect(
      parseShrinkArgs(['r.json', '--budget', '1m30s', '--invariant', 'nothing-lost', '--confirm', '2', '--out', '/tmp/s'], NOW),
    ).toEqual({
      reportPath: 'r.json',
      budgetMs: 90_000,
      invariant: 'nothing-lost',
      confirmations: 2,
      outDir: '/tmp/s',
    });
    expect(parseShrinkArgs(['r.json', '--budget=2h'], NOW).budgetMs).toBe(7_200_000);
  });

  it('refuses what it cannot honour, saying why', () => {
    expect(() => parseShrinkArgs([], NOW)).toThrow(/one report.json, got none/);
    expect(() => parseShrinkArgs(['a.json', 'b.json'], NOW)).toThrow(/got a.json b.json/);
    expect(() => parseShrinkArgs(['a.json', '--budget', 'soon'], NOW)).toThrow(/a duration looks like/);
    expect(() => parseShrinkArgs(['a.json', '--budget', '0s'], NOW)).toThrow(/--budget must be longer than 0/);
    expect(() => parseShrinkArgs(['a.json', '--confirm', '0'], NOW)).toThrow(/--confirm must be a whole number ≥ 1; got 0/);
    expect(() => parseShrinkArgs(['a.json', '--seed', '3'], NOW)).toThrow(/--seed/);
  });
});
