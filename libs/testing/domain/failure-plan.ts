/** Every port call a failure can be injected into, named `port.method`. */
export const PORT_OPERATIONS = [
  'table.create',
  'table.get',
  'table.update',
  'table.listStale',
  'store.put',
  'store.get',
  'store.presignGet',
  'store.delete',
  'queue.send',
  'queue.receive',
  'queue.delete',
  'queue.deleteBatch',
  'queue.extendVisibility',
  'queue.backlog',
] as const;
export type PortOperation = (typeof PORT_OPERATIONS)[number];

/**
 * `error`: the call fails before reaching the service (nothing happens).
 * `ambiguous`: the call is applied, then its response is lost (the caller sees an error).
 */
export type FailureKind = 'error' | 'ambiguous';

export class InjectedFaultError extends Error {
  constructor(
    readonly operation: PortOperation,
    readonly kind: FailureKind,
  ) {
    super(`injected ${kind} fault on ${operation}`);
    this.name = 'InjectedFaultError';
  }
}

/** A point where a test scheduler may pause a port call (to interleave concurrent work). */
export type Gate = (label: string) => Promise<void>;

/**
 * The failures armed for the next calls of each operation, consumed one per call, plus an optional
 * gate every call passes first. The failing port wrappers run every call through `call`.
 */
export class FailurePlan {
  private readonly armed = new Map<PortOperation, FailureKind[]>();
  /** What was injected, in order. */
  readonly injected: { operation: PortOperation; kind: FailureKind }[] = [];
  gate?: Gate;
  /** Told of every failure as it is injected (the simulation records it in its history). */
  onInjected?: (operation: PortOperation, kind: FailureKind, imageId?: string) => void;

  /** The next `times` calls of `operation` fail with `kind`. */
  failNext(operation: PortOperation, kind: FailureKind = 'error', times = 1): this {
    const queue = this.armed.get(operation) ?? [];
    for (let i = 0; i < times; i++) queue.push(kind);
    this.armed.set(operation, queue);
    return this;
  }

  /** Disarms every failure not yet injected. */
  clear(): void {
    this.armed.clear();
  }

  armedCount(): number {
    return [...this.armed.values()].reduce((sum, failures) => sum + failures.length, 0);
  }

  /** Runs one port call through the plan; `imageId` is the image the call concerns, when it names one. */
  async call<T>(operation: PortOperation, run: () => Promise<T>, imageId?: string): Promise<T> {
    if (this.gate) await this.gate(operation);
    const failure = this.armed.get(operation)?.shift();
    if (failure) {
      this.injected.push({ operation, kind: failure });
      this.onInjected?.(operation, failure, imageId);
    }
    if (failure === 'error') throw new InjectedFaultError(operation, failure);
    const result = await run();
    if (failure === 'ambiguous') throw new InjectedFaultError(operation, failure);
    return result;
  }
}
