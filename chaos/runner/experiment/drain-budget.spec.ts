import type { HistoryEntry } from '@imagery/history/history-entry';
import { DRAIN_MIN_MS, drainBudgetMs, lastWorkAt } from './drain-budget';

describe("the drain's budget: its timeout counted from the platform's last work, not from the load's end", () => {
  const client = (time: number, op: 'create' | 'upload' | 'get', type: 'invoke' | 'ok' | 'info' | 'fail' = 'ok') =>
    ({
      type,
      time,
      op,
      process: 1,
      id: 'x',
      attempt: 1,
      requestId: `r${time}`,
      ...(type === 'invoke' ? {} : { status: 200 }),
    }) as HistoryEntry;

  it('the last work: the last create or upload (attempt or answer, refused or not), or the faults’ end if later; not a read', () => {
    const entries = [client(1_000, 'create'), client(5_000, 'upload', 'invoke'), client(6_000, 'upload', 'fail'), client(40_000, 'get')];
    expect(lastWorkAt(entries, 2_000)).toBe(6_000);
    expect(lastWorkAt([...entries, client(7_000, 'upload', 'info')], 2_000)).toBe(7_000);
    expect(lastWorkAt(entries, 9_000)).toBe(9_000); // the FIS experiment ended after the last write
    expect(lastWorkAt([client(40_000, 'get')], 3_000)).toBe(3_000);
    const workloadEnd = { type: 'workload', phase: 'end', time: 50_000, outcome: 'completed' } as HistoryEntry;
    expect(lastWorkAt([...entries, workloadEnd], 2_000)).toBe(6_000);
  });

  it('a load that ended on time leaves the drain its whole timeout: the old limit', () => {
    // the last write one second before the drain starts: the drain may still wait 19 of 20 s
    expect(drainBudgetMs(20_000, 99_000, 100_000)).toBe(19_000);
    expect(drainBudgetMs(20_000, 100_000, 100_000)).toBe(20_000);
  });

  it('never more than the timeout, even with a last work stamped after the drain starts', () => {
    expect(drainBudgetMs(20_000, 103_000, 100_000)).toBe(20_000);
  });

  it('journeys that waited past the plan used the budget up: what is left, down to DRAIN_MIN_MS', () => {
    // no-repair-sweep: the last write at 23 s, the load over at 44.7 s, the budget 20 s
    expect(drainBudgetMs(20_000, 23_000, 44_700)).toBe(DRAIN_MIN_MS);
    expect(drainBudgetMs(20_000, 23_000, 30_000)).toBe(13_000);
    expect(DRAIN_MIN_MS).toBeGreaterThanOrEqual(5_000); // the chaos queue's visibility timeout
  });

  it('a timeout shorter than DRAIN_MIN_MS is kept as asked', () => {
    expect(drainBudgetMs(2_000, 0, 100_000)).toBe(2_000);
    expect(drainBudgetMs(0, 0, 100_000)).toBe(0);
  });
});
