import { closeSync, openSync, writeSync } from 'node:fs';
import type { AwsService } from '../aws-clients';
import type { FaultEvent } from './fault-injector';

/** Which instance writes the log: its id and its slot's generation (0, then +1 per replacement). */
export interface FaultLogIdentity {
  readonly instance: string;
  readonly generation: number;
}

/**
 * One line of an instance's fault log: exactly a `nemesis` entry of the chaos history
 * (libs/history/src/history-entry.ts, which checks that the two shapes agree), so the runner merges
 * the logs into the history as they are.
 */
export interface FaultLogEntry {
  readonly type: 'nemesis';
  readonly time: number;
  readonly event: {
    readonly kind: 'api-fault';
    /** The instance and its slot's generation (0, then +1 per replacement). */
    readonly instance: string;
    readonly generation: number;
    readonly service: AwsService;
    readonly operation: string;
    /** The fault kind (`internal-error`, `ambiguous`, `crash`...), and for crashes `before`/`after`. */
    readonly fault: string;
    readonly when?: 'before' | 'after';
    /** The fault rule's id, and the 1-based index of this call among the calls the rule matched on this instance. */
    readonly rule: string;
    readonly call: number;
    /** The call's occurrence among its operation's calls in its request context: what an exact replay matches on. */
    readonly occurrence?: number;
    /** For latency faults: the delay injected. */
    readonly latency?: { readonly ms: number; readonly jitterMs: number };
    /** The client request it hit (`x-request-id`, carried from the API to the worker with the message). */
    readonly requestId?: string;
    readonly imageId?: string;
  };
}

export function faultLogEntry(event: FaultEvent, identity: FaultLogIdentity): FaultLogEntry {
  return {
    type: 'nemesis',
    time: event.time,
    event: {
      kind: 'api-fault',
      instance: identity.instance,
      generation: identity.generation,
      service: event.service,
      operation: event.operation,
      fault: event.kind,
      ...(event.when ? { when: event.when } : {}),
      rule: event.ruleId,
      call: event.call,
      ...(event.occurrence !== undefined ? { occurrence: event.occurrence } : {}),
      ...(event.latency ? { latency: event.latency } : {}),
      ...(event.requestId !== undefined ? { requestId: event.requestId } : {}),
      ...(event.imageId !== undefined ? { imageId: event.imageId } : {}),
    },
  };
}

export interface FaultLog {
  /** Appends the fault as one JSON line, synchronously: a crash fault kills the process right after. */
  record(event: FaultEvent): void;
  close(): void;
}

/**
 * The instance's fault log (JSON Lines, append-only). Writes are synchronous on purpose: a `crash`
 * fault SIGKILLs the process right after it is reported, and an entry still in a stream buffer
 * would be lost with it. A write that fails is reported on stderr and does not break the call.
 */
export function openFaultLog(path: string, identity: FaultLogIdentity): FaultLog {
  const fd = openSync(path, 'a');
  let open = true;
  return {
    record(event) {
      if (!open) return;
      try {
        writeSync(fd, `${JSON.stringify(faultLogEntry(event, identity))}\n`);
      } catch (err) {
        process.stderr.write(`fault log ${path}: ${(err as Error).message}\n`);
      }
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
