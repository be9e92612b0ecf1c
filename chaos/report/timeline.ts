import { percentile } from '@imagery/kernel/stats';
import type { HistoryEntry } from '@imagery/history/history-entry';
import { indexHistory, indexNemesis, type Violation } from '@imagery/checker';
import type { FisActionWindow, TimelineMark } from './report-data';

export interface TimelinePoint {
  /** Seconds since the run started. */
  readonly t: number;
  /**
   * Client attempts completed in that second, those whose outcome is unknown (`info`: 5xx,
   * network error, timeout), and those rejected (`fail`: 4xx).
   */
  readonly requests: number;
  readonly errors: number;
  readonly rejected: number;
  /** p95 latency (invocation to completion) of the attempts completed in that second. */
  readonly p95Ms: number;
}

/** Per-second request rate, errors and p95 latency, from each invocation paired with its completion. */
export function timelineOf(history: readonly HistoryEntry[], startedAt: number, finishedAt: number): TimelinePoint[] {
  const seconds = Math.max(1, Math.ceil((finishedAt - startedAt) / 1000));
  const buckets = Array.from({ length: seconds }, () => ({ requests: 0, errors: 0, rejected: 0, durations: [] as number[] }));
  for (const { invoke, completion } of indexHistory(history).operations) {
    if (!completion) continue;
    const bucket = buckets[Math.min(seconds - 1, Math.max(0, Math.floor((completion.time - startedAt) / 1000)))];
    bucket.requests++;
    if (completion.type === 'info') bucket.errors++;
    if (completion.type === 'fail') bucket.rejected++;
    bucket.durations.push(completion.time - invoke.time);
  }
  return buckets.map((b, t) => ({
    t,
    requests: b.requests,
    errors: b.errors,
    rejected: b.rejected,
    p95Ms: b.durations.length
      ? Math.round(
          percentile(
            b.durations.sort((x, y) => x - y),
            95,
          ),
        )
      : 0,
  }));
}

/** The FIS actions' windows, from their start and end entries. */
export function fisActionWindowsOf(history: readonly HistoryEntry[], finishedAt: number): FisActionWindow[] {
  return indexNemesis(history)
    .windows.filter((w) => w.kind === 'fis-action')
    .map((w) => ({ action: w.action!, actionId: w.actionId!, start: w.start, end: Number.isFinite(w.end) ? w.end : finishedAt }));
}

const INSTANCE_MARKS = new Set(['terminated', 'died', 'stopped', 'started', 'replaced']);

/**
 * Kills and replacements from the `instance` entries, a stopped experiment, and each violation at
 * its image's last operation (the run's end when it names none).
 */
export function marksOf(history: readonly HistoryEntry[], violations: readonly Violation[], finishedAt: number): TimelineMark[] {
  const marks: TimelineMark[] = [];
  for (const e of history) {
    if (e.type !== 'nemesis') continue;
    const n = e.event;
    if (n.kind === 'instance' && INSTANCE_MARKS.has(n.phase)) {
      const label = n.phase === 'replaced' ? `${n.replacement ?? '?'} replaces ${n.instance}` : `${n.instance} ${n.phase}`;
      marks.push({ at: e.time, kind: n.phase as TimelineMark['kind'], label });
    } else if (n.kind === 'fis-experiment' && n.phase === 'end' && n.state === 'stopped') {
      marks.push({ at: e.time, kind: 'stop-condition', label: `experiment stopped${n.reason ? `: ${n.reason}` : ''}` });
    }
  }
  for (const v of violations) {
    const image = v.ids.length ? ` ${v.ids[0].slice(0, 8)}` : '';
    marks.push({ at: v.provenance?.lastOperationAt ?? finishedAt, kind: 'violation', label: `${v.invariant}${image}` });
  }
  return marks.sort((a, b) => a.at - b.at);
}
