import type { ClientOp, CompletionEntry, CompletionType, HistoryEntry, InvokeEntry, NemesisEvent } from '@imagery/history/history-entry';
import { DomainError, InvalidImageError } from '@imagery/domain/errors';

/**
 * The simulation's history, in the same shape as a real run's (libs/history/src/history-entry.ts):
 * each client attempt an invocation and a completion (`ok`, `fail` for a domain error — the API's
 * 4xx —, `info` for anything else — its 5xx), the workload's start and end, and every injected
 * fault as a nemesis `api-fault` carrying the image its call named (the fake ports see no request
 * id; an AsyncLocalStorage could carry one, but tripled the simulation's time). Time is logical: one tick
 * per entry, so real-time order is exactly the order things happened in the interleaving.
 */
export class SimHistory {
  readonly entries: HistoryEntry[] = [];
  private tick = 0;
  private requests = 0;
  private faults = 0;

  workload(phase: 'start' | 'end'): void {
    this.entries.push({ type: 'workload', time: ++this.tick, phase, ...(phase === 'end' ? { outcome: 'completed' as const } : {}) });
  }

  invoke(fields: { process: number; op: ClientOp; id: string; attempt: number; bad?: InvokeEntry['bad']; sha256?: string }): InvokeEntry {
    const entry: InvokeEntry = { type: 'invoke', time: ++this.tick, requestId: `sim-${++this.requests}`, ...fields };
    this.entries.push(entry);
    return entry;
  }

  complete(
    invoke: InvokeEntry,
    outcome: { type: CompletionType; status: number; error?: string; version?: number; state?: string },
  ): CompletionEntry {
    const entry: CompletionEntry = { ...invoke, ...outcome, time: ++this.tick };
    this.entries.push(entry);
    return entry;
  }

  /** A fault the FailurePlan injected, linked to the image its call named. */
  injected(operation: string, fault: string, imageId?: string): void {
    const [port, call] = operation.split('.');
    const service = ({ table: 'dynamodb', store: 's3', queue: 'sqs' } as const)[port as 'table' | 'store' | 'queue'];
    const event: NemesisEvent = {
      kind: 'api-fault',
      instance: 'sim',
      generation: 0,
      service,
      operation: call,
      fault,
      rule: 'sim',
      call: ++this.faults,
      ...(imageId ? { imageId } : {}),
    };
    this.entries.push({ type: 'nemesis', time: ++this.tick, event });
  }
}

/** The HTTP status the API gives a domain error (apps/api maps them the same way); anything else is its 5xx. */
export function statusOf(err: unknown): { type: CompletionType; status: number; error: string } {
  if (!(err instanceof DomainError)) return { type: 'info', status: 503, error: err instanceof Error ? err.name : 'error' };
  const status =
    err.code === 'image_not_found'
      ? 404
      : ['transition_not_allowed', 'version_conflict', 'already_uploaded'].includes(err.code)
        ? 409
        : err instanceof InvalidImageError
          ? err.reason === 'not_an_image'
            ? 415
            : 422
          : 400;
  return { type: 'fail', status, error: err.code };
}
