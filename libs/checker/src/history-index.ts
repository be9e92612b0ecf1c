import type { ClientOp, CompletionEntry, HistoryEntry, InvokeEntry, NemesisEntry } from '@imagery/history/history-entry';

/**
 * Views of the history shared by the invariants, built once per history array: each client
 * attempt as one operation (its invocation paired with its completion by `requestId`), the
 * operations of each image id, logical requests (a first try and its retries), the nemesis.
 */

/** One client attempt: the invocation and, unless the history was cut short, its completion. */
export interface Operation {
  readonly invoke: InvokeEntry;
  readonly completion?: CompletionEntry;
}

/** One logical request: a first try and the retries of it (same process, op, id). */
export interface ClientRequest {
  readonly id: string;
  readonly op: ClientOp;
  readonly bad?: InvokeEntry['bad'];
  readonly attempts: readonly Operation[];
}

export interface HistoryIndex {
  /** Every attempt, in invocation order. */
  readonly operations: readonly Operation[];
  /** Attempts by image id (malformed ids of `bad-id` requests left out), in invocation order. */
  readonly byId: ReadonlyMap<string, readonly Operation[]>;
  readonly requests: readonly ClientRequest[];
  readonly nemesis: readonly NemesisEntry[];
  /** Completions that name no invocation (a history written wrong). */
  readonly unmatchedCompletions: readonly CompletionEntry[];
  /** The first entry's time: the origin of the "at 12.2 s" of violations and the report. */
  readonly origin: number;
}

export const isInvoke = (e: HistoryEntry): e is InvokeEntry => e.type === 'invoke';
export const isCompletion = (e: HistoryEntry): e is CompletionEntry => e.type === 'ok' || e.type === 'fail' || e.type === 'info';
export const isNemesis = (e: HistoryEntry): e is NemesisEntry => e.type === 'nemesis';

/** 2xx: the operation took effect and the client saw it. */
export const isOk = (op: Operation): op is Operation & { completion: CompletionEntry } => op.completion?.type === 'ok';
export const isInfo = (op: Operation): boolean => op.completion?.type === 'info';
/** When the client learnt the outcome; an operation never completed counts as still running forever. */
export const endOf = (op: Operation): number => op.completion?.time ?? Number.POSITIVE_INFINITY;

const cache = new WeakMap<readonly HistoryEntry[], HistoryIndex>();

export function indexHistory(history: readonly HistoryEntry[]): HistoryIndex {
  let index = cache.get(history);
  if (!index) cache.set(history, (index = build(history)));
  return index;
}

function build(history: readonly HistoryEntry[]): HistoryIndex {
  const completions = new Map<string, CompletionEntry>();
  const unmatched: CompletionEntry[] = [];
  for (const e of history) if (isCompletion(e)) completions.set(e.requestId, e);
  const operations: Operation[] = [];
  const invoked = new Set<string>();
  for (const e of history) {
    if (!isInvoke(e)) continue;
    invoked.add(e.requestId);
    const completion = completions.get(e.requestId);
    operations.push(completion ? { invoke: e, completion } : { invoke: e });
  }
  for (const c of completions.values()) if (!invoked.has(c.requestId)) unmatched.push(c);
  operations.sort((a, b) => a.invoke.time - b.invoke.time);

  const byId = new Map<string, Operation[]>();
  for (const op of operations) {
    if (op.invoke.bad === 'bad-id') continue;
    const list = byId.get(op.invoke.id);
    if (list) list.push(op);
    else byId.set(op.invoke.id, [op]);
  }
  return {
    operations,
    byId,
    requests: requestsOf(operations),
    nemesis: history.filter(isNemesis).sort((a, b) => a.time - b.time),
    unmatchedCompletions: unmatched,
    origin: history.reduce((min, e) => Math.min(min, e.time), Number.POSITIVE_INFINITY),
  };
}

/**
 * Groups attempts into requests: same process, op, id and bad kind; a new request starts whenever
 * the attempt number does not go up (the client starts over at attempt 1).
 */
function requestsOf(operations: readonly Operation[]): ClientRequest[] {
  const groups = new Map<string, Operation[]>();
  for (const op of operations) {
    const i = op.invoke;
    const key = `${i.process}|${i.op}|${i.id}|${i.bad ?? ''}`;
    const list = groups.get(key);
    if (list) list.push(op);
    else groups.set(key, [op]);
  }
  const requests: ClientRequest[] = [];
  for (const ops of groups.values()) {
    let current: Operation[] = [];
    for (const op of ops) {
      if (current.length > 0 && op.invoke.attempt <= current[current.length - 1].invoke.attempt) {
        requests.push(request(current));
        current = [];
      }
      current.push(op);
    }
    if (current.length > 0) requests.push(request(current));
  }
  return requests.sort((a, b) => a.attempts[0].invoke.time - b.attempts[0].invoke.time);
}

function request(attempts: Operation[]): ClientRequest {
  const first = attempts[0].invoke;
  return { id: first.id, op: first.op, ...(first.bad ? { bad: first.bad } : {}), attempts };
}

export const lastAttempt = (r: ClientRequest): Operation => r.attempts[r.attempts.length - 1];

/** States in lifecycle order; `failed` is as final as `processed` (both follow `uploaded`). */
export const STATE_RANK: Readonly<Record<string, number>> = { created: 0, uploaded: 1, processed: 2, failed: 2 };

/** Seconds since the history's first entry, one decimal: how violations and the report say "when". */
export const secondsAt = (time: number, origin: number): string => `${((time - origin) / 1000).toFixed(1)} s`;

/** `upload#2 info 503 at 12.2 s`, `get#1 ok 200 v1 uploaded at 3.0 s`, `create#1 (no completion) at 9.9 s`. */
export function describeOperation(op: Operation, origin: number): string {
  const { invoke, completion } = op;
  const name = `${invoke.op}#${invoke.attempt}`;
  if (!completion) return `${name} (no completion) at ${secondsAt(invoke.time, origin)}`;
  const status = completion.status === 0 ? (completion.error ?? 'no response') : String(completion.status);
  const seen = completion.version !== undefined || completion.state ? ` v${completion.version ?? '?'} ${completion.state ?? '?'}` : '';
  return `${name} ${completion.type} ${status}${seen} at ${secondsAt(invoke.time, origin)}`;
}
