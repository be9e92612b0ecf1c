import type { HistoryEvent } from '../history/history-event';

export interface TimelinePoint {
  /** Seconds since the run started. */
  readonly t: number;
  readonly requests: number;
  readonly errors: number;
  readonly p95Ms: number;
}

/** Per-second request rate, error rate (5xx and network errors) and p95 latency, from the history. */
export function timelineOf(history: readonly HistoryEvent[], startedAt: number, finishedAt: number): TimelinePoint[] {
  const seconds = Math.max(1, Math.ceil((finishedAt - startedAt) / 1000));
  const buckets = Array.from({ length: seconds }, () => ({ requests: 0, errors: 0, durations: [] as number[] }));
  for (const e of history) {
    const bucket = buckets[Math.min(seconds - 1, Math.max(0, Math.floor((e.end - startedAt) / 1000)))];
    bucket.requests++;
    if (e.status === 0 || e.status >= 500) bucket.errors++;
    bucket.durations.push(e.end - e.start);
  }
  return buckets.map((b, t) => ({ t, requests: b.requests, errors: b.errors, p95Ms: percentile(b.durations, 0.95) }));
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}
