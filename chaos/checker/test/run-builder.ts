import { createHash } from 'node:crypto';
import { processedKeyOf, rawKeyOf } from '@imagery/domain';
import type { HistoryEvent } from '../../history/history-event';
import type { FinalState, StoredItem, StoredObject } from '../final-state';

/** Hand-built histories and final states for the checker's tests: a clean run, then bent. */

export const T0 = Date.parse('2025-01-01T12:00:00.000Z');

export const IDS = [
  '0b6f7a52-6c1e-4d8b-9a55-1f1d2c3b4a01',
  '1c7e8b63-7d2f-4e9c-8b66-2e2e3d4c5b02',
  '2d8f9c74-8e3a-4fad-9c77-3f3f4e5d6c03',
  '3e9a0d85-9f4b-40be-8d88-404f5f6e7d04',
] as const;

export const shaOf = (id: string): string => createHash('sha256').update(`bytes of ${id}`).digest('hex');

export function event(fields: Partial<HistoryEvent> & Pick<HistoryEvent, 'op' | 'id' | 'status'>): HistoryEvent {
  const start = fields.start ?? T0;
  return { attempt: 1, end: start + 10, ...fields, start };
}

/**
 * One client's clean journey: create (201), upload (200), a poll that still sees `uploaded`,
 * and a poll that sees `processed`, all in sequence from `at`.
 */
export function journey(id: string, at = T0, vu = 1, iteration = 0): HistoryEvent[] {
  const common = { id, vu, iteration };
  return [
    event({ ...common, op: 'create', status: 201, start: at, end: at + 10, version: 0, state: 'created' }),
    event({ ...common, op: 'upload', status: 200, start: at + 20, end: at + 40, version: 1, state: 'uploaded', sha256: shaOf(id) }),
    event({ ...common, op: 'get', status: 200, start: at + 50, end: at + 60, version: 1, state: 'uploaded' }),
    event({ ...common, op: 'get', status: 200, start: at + 1_000, end: at + 1_010, version: 2, state: 'processed' }),
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

export const object = (key: string, size = 1_000): StoredObject => ({ key, size, etag: `"${key.length}"` });

export function objectsOf(item: StoredItem): StoredObject[] {
  return [item.rawS3Key, item.processedS3Key].flatMap((key) => (key ? [object(key)] : []));
}

export function finalState(items: StoredItem[], objects: StoredObject[] = items.flatMap(objectsOf)): FinalState {
  return { items, objects, queue: { visible: 0, inFlight: 0, delayed: 0 }, deadLetter: { visible: 0, inFlight: 0, messages: [] } };
}

/** A run where every journey went through and the system drained: no invariant is violated. */
export function cleanRun(ids: readonly string[] = IDS): { history: HistoryEvent[]; state: FinalState } {
  const history = ids.flatMap((id, i) => journey(id, T0 + i * 100, i + 1));
  return { history, state: finalState(ids.map((id) => processedItem(id))) };
}
