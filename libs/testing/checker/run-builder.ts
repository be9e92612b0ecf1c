import { createHash } from 'node:crypto';
import { processedKeyOf, rawKeyOf } from '@imagery/domain';
import { isFakeSepiaOf, sepiaOf } from '../domain';
import type {
  BadInputKind,
  ClientOp,
  CompletionEntry,
  CompletionType,
  HistoryEntry,
  InvokeEntry,
  NemesisEvent,
} from '@imagery/history/history-entry';
import type { FinalState, StoredItem, StoredObject } from '@imagery/checker/stored-state';
import type { ObjectReader } from '@imagery/checker/object-reader';
import type { InvariantOptions } from '@imagery/checker/violation';

/** Hand-built histories and final states for the checker's tests: a clean run, then bent. */

export const T0 = Date.parse('2025-01-01T12:00:00.000Z');

export const IDS = [
  '0b6f7a52-6c1e-4d8b-9a55-1f1d2c3b4a01',
  '1c7e8b63-7d2f-4e9c-8b66-2e2e3d4c5b02',
  '2d8f9c74-8e3a-4fad-9c77-3f3f4e5d6c03',
  '3e9a0d85-9f4b-40be-8d88-404f5f6e7d04',
] as const;

/** The bytes a client uploads for an id, and their hash (the raw key's). */
export const rawBytesOf = (id: string): Buffer => Buffer.from(`bytes of ${id}`);
export const shaOf = (id: string): string => createHash('sha256').update(rawBytesOf(id)).digest('hex');

export interface AttemptFields {
  readonly op: ClientOp;
  readonly id: string;
  /** Invocation time (epoch ms). */
  readonly at: number;
  /** `open`: invoked, never completed (the history was cut short). */
  readonly type: CompletionType | 'open';
  readonly took?: number;
  readonly attempt?: number;
  readonly process?: number;
  readonly status?: number;
  readonly version?: number;
  readonly state?: string;
  readonly bad?: BadInputKind;
  readonly sha256?: string;
  readonly error?: string;
  readonly requestId?: string;
}

const DEFAULT_STATUS: Record<CompletionType, number> = { ok: 200, fail: 400, info: 503 };

/** One client attempt: its invocation and (unless `open`) its completion. */
export function attempt(f: AttemptFields): HistoryEntry[] {
  const attemptNo = f.attempt ?? 1;
  const process = f.process ?? 1;
  const invoke: InvokeEntry = {
    type: 'invoke',
    time: f.at,
    process,
    op: f.op,
    id: f.id,
    attempt: attemptNo,
    requestId: f.requestId ?? `req-${process}-${f.op}-${f.id.slice(0, 8)}-${f.at}-${attemptNo}`,
    ...(f.bad ? { bad: f.bad } : {}),
    ...(f.sha256 ? { sha256: f.sha256 } : {}),
  };
  if (f.type === 'open') return [invoke];
  const completion: CompletionEntry = {
    ...invoke,
    type: f.type,
    time: f.at + (f.took ?? 10),
    status: f.status ?? (f.op === 'create' && f.type === 'ok' ? 201 : DEFAULT_STATUS[f.type]),
    ...(f.error ? { error: f.error } : {}),
    ...(f.version !== undefined ? { version: f.version } : {}),
    ...(f.state ? { state: f.state } : {}),
  };
  return [invoke, completion];
}

/**
 * One client's clean journey: create (201), upload (200), a poll that still sees `uploaded`,
 * and a poll that sees `processed`, in sequence from `at`.
 */
export function journey(id: string, at = T0, process = 1): HistoryEntry[] {
  return [
    ...attempt({ op: 'create', id, at, process, type: 'ok', version: 0, state: 'created' }),
    ...attempt({ op: 'upload', id, at: at + 20, took: 20, process, type: 'ok', version: 1, state: 'uploaded', sha256: shaOf(id) }),
    ...attempt({ op: 'get', id, at: at + 50, process, type: 'ok', version: 1, state: 'uploaded' }),
    ...attempt({ op: 'get', id, at: at + 1_000, process, type: 'ok', version: 2, state: 'processed' }),
  ];
}

export const nemesis = (time: number, event: NemesisEvent): HistoryEntry => ({ type: 'nemesis', time, event });

/** An injected API fault that hit one request. */
export function apiFault(time: number, fields: Partial<Extract<NemesisEvent, { kind: 'api-fault' }>> = {}): HistoryEntry {
  return nemesis(time, {
    kind: 'api-fault',
    instance: 'i-api-1-1',
    generation: 0,
    service: 'dynamodb',
    operation: 'UpdateItem',
    fault: 'crash',
    when: 'after',
    rule: 'fis/crash/seed-1',
    call: 1,
    ...fields,
  });
}

/** The workload's start and end around the entries (time-sorted), and a FIS experiment that completed. */
export function completeHistory(
  entries: HistoryEntry[],
  options: { outcome?: 'completed' | 'aborted'; fisState?: string; end?: boolean } = {},
): HistoryEntry[] {
  const times = entries.map((e) => e.time);
  const first = times.length ? Math.min(...times) : T0;
  const last = times.length ? Math.max(...times) : T0;
  return [
    { type: 'workload', time: first - 100, phase: 'start', options: { seed: 1 } },
    nemesis(first - 50, { kind: 'fis-experiment', phase: 'start', experimentId: 'EXP1' }),
    ...[...entries].sort((a, b) => a.time - b.time),
    nemesis(last + 50, { kind: 'fis-experiment', phase: 'end', experimentId: 'EXP1', state: options.fisState ?? 'completed' }),
    ...(options.end === false
      ? []
      : [{ type: 'workload' as const, time: last + 100, phase: 'end' as const, outcome: options.outcome ?? 'completed' }]),
  ];
}

export function processedItem(id: string, fields: Partial<StoredItem> = {}): StoredItem {
  return {
    id,
    version: 2,
    state: 'processed',
    rawS3Key: rawKeyOf(id, shaOf(id)),
    processedS3Key: processedKeyOf(id),
    createdAt: T0,
    updatedAt: T0 + 900,
    ...fields,
  };
}

/** An item whose upload was applied but never processed. */
export const uploadedItem = (id: string, fields: Partial<StoredItem> = {}): StoredItem =>
  processedItem(id, { version: 1, state: 'uploaded', processedS3Key: undefined, ...fields });

export const object = (key: string, size = 1_000): StoredObject => ({ key, size, etag: `"${key.length}"` });

export function objectsOf(item: StoredItem): StoredObject[] {
  return [item.rawS3Key, item.processedS3Key].flatMap((key) => (key ? [object(key)] : []));
}

export function finalState(items: StoredItem[], objects: StoredObject[] = items.flatMap(objectsOf)): FinalState {
  return { items, objects, queue: { visible: 0, inFlight: 0, delayed: 0 }, deadLetter: { visible: 0, inFlight: 0, messages: [] } };
}

/**
 * Object bytes as a clean run stores them: a raw key holds its id's upload, a processed key the
 * fake sepia rendering of it (the domain's fake filter); `overrides` replace single objects.
 */
export function storedBytes(overrides: Record<string, Buffer> = {}): ObjectReader {
  return (key) => {
    if (key in overrides) return Promise.resolve(overrides[key]);
    const id = /^(?:upload|processed)\/([0-9a-f-]{36})/.exec(key)?.[1];
    if (!id) return Promise.reject(new Error(`NoSuchKey: ${key}`));
    return Promise.resolve(key.startsWith('upload/') ? rawBytesOf(id) : sepiaOf(rawBytesOf(id)));
  };
}

/** Options that read objects like storedBytes and compare with the fake filter's rendering. */
export const fakeObjects = (overrides: Record<string, Buffer> = {}): InvariantOptions => ({
  readObject: storedBytes(overrides),
  compareSepia: isFakeSepiaOf,
});

/** A run where every journey went through and the system drained: no invariant is violated. */
export function cleanRun(ids: readonly string[] = IDS): { history: HistoryEntry[]; state: FinalState } {
  const history = completeHistory(ids.flatMap((id, i) => journey(id, T0 + i * 100, i + 1)));
  return { history, state: finalState(ids.map((id) => processedItem(id))) };
}
