import { PROCESSED_PREFIX, RAW_PREFIX } from '@imagery/domain';
import type { HistoryEvent } from '../history/history-event';
import type { FinalState } from './final-state';
import { eventsById, finalAttempt, isAcknowledged, isNetworkError, isServerError, requestsOf } from './history-index';

/** The run in numbers, printed beside the verdict so a clean result can be seen to mean something. */
export interface CheckStats {
  /** History events (HTTP responses and network errors). */
  readonly events: number;
  /** Logical requests (a first try plus its retries). */
  readonly requests: number;
  /** Distinct image ids the workload used (malformed ids excluded). */
  readonly journeys: number;
  readonly acknowledgedCreates: number;
  /** Ids with at least one 2xx upload. */
  readonly acknowledgedUploads: number;
  readonly items: number;
  readonly processed: number;
  readonly failed: number;
  /** Items still created / uploaded at the end. */
  readonly unfinished: number;
  readonly rawObjects: number;
  readonly processedObjects: number;
  /** Raw objects no item points at (an upload whose write failed and was never retried); not a violation. */
  readonly unreferencedRawObjects: number;
  /** Requests sent bad on purpose, and those of them that never got an answer. */
  readonly badRequests: number;
  readonly badRequestsUnanswered: number;
  readonly networkErrors: number;
  readonly serverErrors: number;
  /** Attempts after the first (attempt > 1). */
  readonly retries: number;
  /** Requests whose last attempt still failed (5xx or network error), bad ones excluded. */
  readonly failedRequests: number;
  readonly queueLeft: number;
  readonly deadLetters: number;
  /** Processed items whose objects the sepia check compared. */
  readonly sepiaChecked: number;
}

export function checkStats(history: readonly HistoryEvent[], state: FinalState, sepiaChecked = 0): CheckStats {
  const byId = eventsById(history);
  const requests = requestsOf(history);
  const ackedIds = (op: HistoryEvent['op']) =>
    [...byId.values()].filter((events) => events.some((e) => e.op === op && isAcknowledged(e))).length;
  const count = (state_: string) => state.items.filter((i) => i.state === state_).length;
  const rawKeys = new Set(state.items.flatMap((i) => (i.rawS3Key ? [i.rawS3Key] : [])));
  const raw = state.objects.filter((o) => o.key.startsWith(RAW_PREFIX));
  const unanswered = (e: HistoryEvent) => isNetworkError(e) || isServerError(e);
  return {
    events: history.length,
    requests: requests.length,
    journeys: byId.size,
    acknowledgedCreates: ackedIds('create'),
    acknowledgedUploads: ackedIds('upload'),
    items: state.items.length,
    processed: count('processed'),
    failed: count('failed'),
    unfinished: count('created') + count('uploaded'),
    rawObjects: raw.length,
    processedObjects: state.objects.filter((o) => o.key.startsWith(PROCESSED_PREFIX)).length,
    unreferencedRawObjects: raw.filter((o) => !rawKeys.has(o.key)).length,
    badRequests: requests.filter((r) => r.bad).length,
    badRequestsUnanswered: requests.filter((r) => r.bad && isNetworkError(finalAttempt(r))).length,
    networkErrors: history.filter(isNetworkError).length,
    serverErrors: history.filter(isServerError).length,
    retries: history.filter((e) => e.attempt > 1).length,
    failedRequests: requests.filter((r) => !r.bad && unanswered(finalAttempt(r))).length,
    queueLeft: state.queue.visible + state.queue.inFlight + state.queue.delayed,
    deadLetters: Math.max(state.deadLetter.visible + state.deadLetter.inFlight, state.deadLetter.messages.length),
    sepiaChecked,
  };
}
