import type { HistoryEvent, HistoryOp } from '../history/history-event';

/** Small views of the history shared by the invariants. */

export const isAcknowledged = (e: HistoryEvent): boolean => e.status >= 200 && e.status < 300;
export const isServerError = (e: HistoryEvent): boolean => e.status >= 500;
export const isNetworkError = (e: HistoryEvent): boolean => e.status === 0;

/** States in lifecycle order; `failed` is as final as `processed` (both follow `uploaded`). */
export const STATE_RANK: Readonly<Record<string, number>> = { created: 0, uploaded: 1, processed: 2, failed: 2 };

/** The events of each id, in the order they were sent. Events with a malformed id (bad-id) are left out. */
/** Every invariant indexes the same history: build each index once per history array. */
function memoized<T>(build: (history: readonly HistoryEvent[]) => T): (history: readonly HistoryEvent[]) => T {
  const cache = new WeakMap<readonly HistoryEvent[], T>();
  return (history) => {
    let value = cache.get(history);
    if (value === undefined) cache.set(history, (value = build(history)));
    return value;
  };
}

export const eventsById = memoized((history): Map<string, HistoryEvent[]> => {
  const byId = new Map<string, HistoryEvent[]>();
  for (const e of history) {
    if (e.bad === 'bad-id') continue;
    const list = byId.get(e.id);
    if (list) list.push(e);
    else byId.set(e.id, [e]);
  }
  for (const list of byId.values()) list.sort((a, b) => a.start - b.start || a.end - b.end);
  return byId;
});

/** One logical request: its first try and the retries of it (same id, op, client iteration). */
export interface HistoryRequest {
  readonly id: string;
  readonly op: HistoryOp;
  readonly bad?: HistoryEvent['bad'];
  readonly attempts: readonly HistoryEvent[];
}

export const finalAttempt = (r: HistoryRequest): HistoryEvent => r.attempts[r.attempts.length - 1];

/**
 * Groups attempts into requests: same id, op, bad kind, VU and iteration; a new request starts
 * whenever the attempt number does not go up (the client starts over at attempt 1).
 */
export const requestsOf = memoized((history): HistoryRequest[] => {
  const groups = new Map<string, HistoryEvent[]>();
  for (const e of history) {
    const key = [e.vu ?? '', e.iteration ?? '', e.op, e.id, e.bad ?? ''].join('|');
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  const requests: HistoryRequest[] = [];
  for (const events of groups.values()) {
    events.sort((a, b) => a.start - b.start || a.attempt - b.attempt);
    let current: HistoryEvent[] = [];
    for (const e of events) {
      if (current.length > 0 && e.attempt <= current[current.length - 1].attempt) {
        requests.push(request(current));
        current = [];
      }
      current.push(e);
    }
    if (current.length > 0) requests.push(request(current));
  }
  return requests.sort((a, b) => a.attempts[0].start - b.attempts[0].start);
});

function request(attempts: HistoryEvent[]): HistoryRequest {
  const first = attempts[0];
  return { id: first.id, op: first.op, ...(first.bad ? { bad: first.bad } : {}), attempts };
}

/** `upload#2 → 200 v1 uploaded @12:00:01.234–12:00:01.300`: one event, readable in a violation. */
export function describeEvent(e: HistoryEvent): string {
  const seen = e.version !== undefined || e.state ? ` v${e.version ?? '?'} ${e.state ?? '?'}` : '';
  const status = e.status === 0 ? 'network error' : String(e.status);
  return `${e.op}#${e.attempt} → ${status}${seen} @${clock(e.start)}–${clock(e.end)}`;
}

const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 23);
