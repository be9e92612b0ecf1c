import { PROCESSED_PREFIX, RAW_PREFIX } from '@imagery/domain';
import type { HistoryEntry } from '@imagery/history/history-entry';
import type { FinalState } from './stored-state';
import { indexHistory, isOk, lastAttempt, type Operation } from './history-index';
import { claimedSha256 } from './invariants/raw-matches-key';

/** The run in numbers, printed beside the verdict so a clean result can be seen to mean something. */
export interface CheckStats {
  /** History entries of every kind, and the client attempts among them. */
  readonly entries: number;
  readonly operations: number;
  /** Logical requests (a first try plus its retries). */
  readonly requests: number;
  /** Distinct image ids the workload used (malformed ids excluded). */
  readonly journeys: number;
  /** Attempts by completion type; `open` = invoked, never completed (a history cut short). */
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  readonly open: number;
  readonly acknowledgedCreates: number;
  /** Ids with at least one 2xx upload, and ids whose uploads only got `info` (no client saw them acknowledged). */
  readonly acknowledgedUploads: number;
  readonly unacknowledgedUploads: number;
  readonly items: number;
  readonly processed: number;
  readonly failed: number;
  /** Items still created / uploaded at the end. */
  readonly unfinished: number;
  readonly rawObjects: number;
  /**
   * Raw objects whose bytes were hashed (against their key and the uploads), and those whose key
   * names no hash (checked against the uploads only).
   */
  readonly rawHashed: number;
  readonly rawNotContentAddressed: number;
  readonly processedObjects: number;
  /** Raw objects no item points at (an upload whose write failed and was never retried); not a violation. */
  readonly unreferencedRawObjects: number;
  /** Processed images compared for sepia, of those that could be. */
  readonly sepiaChecked: number;
  readonly badRequests: number;
  /** Attempts after the first (attempt > 1). */
  readonly retries: number;
  /** Requests (not bad on purpose) whose last attempt was not acknowledged. */
  readonly failedRequests: number;
  readonly nemesisEvents: number;
  readonly apiFaults: number;
  readonly queueLeft: number;
  /** This run's dead letters, and earlier runs' left out of the judgement. */
  readonly deadLetters: number;
  readonly deadLettersIgnored: number;
}

export function checkStats(
  history: readonly HistoryEntry[],
  state: FinalState,
  checked: { rawHashed: number; sepiaChecked: number },
): CheckStats {
  const index = indexHistory(history);
  const ops = index.operations;
  const count = (type: string) => ops.filter((o) => o.completion?.type === type).length;
  const ids = [...index.byId.values()];
  const uploadsOf = (list: readonly Operation[]) => list.filter((o) => o.invoke.op === 'upload');
  const items = (s: string) => state.items.filter((i) => i.state === s).length;
  const rawKeys = new Set(state.items.flatMap((i) => (i.rawS3Key ? [i.rawS3Key] : [])));
  const raw = state.objects.filter((o) => o.key.startsWith(RAW_PREFIX));
  return {
    entries: history.length,
    operations: ops.length,
    requests: index.requests.length,
    journeys: index.byId.size,
    ok: count('ok'),
    fail: count('fail'),
    info: count('info'),
    open: ops.filter((o) => !o.completion).length,
    acknowledgedCreates: ids.filter((list) => list.some((o) => o.invoke.op === 'create' && isOk(o))).length,
    acknowledgedUploads: ids.filter((list) => uploadsOf(list).some(isOk)).length,
    unacknowledgedUploads: ids.filter((list) => uploadsOf(list).length > 0 && !uploadsOf(list).some(isOk)).length,
    items: state.items.length,
    processed: items('processed'),
    failed: items('failed'),
    unfinished: items('created') + items('uploaded'),
    rawObjects: raw.length,
    rawHashed: checked.rawHashed,
    rawNotContentAddressed: raw.filter((o) => !claimedSha256(o.key)).length,
    processedObjects: state.objects.filter((o) => o.key.startsWith(PROCESSED_PREFIX)).length,
    unreferencedRawObjects: raw.filter((o) => !rawKeys.has(o.key)).length,
    sepiaChecked: checked.sepiaChecked,
    badRequests: index.requests.filter((r) => r.bad).length,
    retries: ops.filter((o) => o.invoke.attempt > 1).length,
    failedRequests: index.requests.filter((r) => !r.bad && !isOk(lastAttempt(r))).length,
    nemesisEvents: index.nemesis.length,
    apiFaults: index.nemesis.filter((n) => n.event.kind === 'api-fault').length,
    queueLeft: state.queue.visible + state.queue.inFlight + state.queue.delayed,
    deadLetters:
      state.deadLetter.ignored !== undefined
        ? state.deadLetter.messages.length
        : Math.max(state.deadLetter.visible + state.deadLetter.inFlight, state.deadLetter.messages.length),
    deadLettersIgnored: state.deadLetter.ignored ?? 0,
  };
}
