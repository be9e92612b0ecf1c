import { randomUUID } from 'node:crypto';
import { ApiResponse, asJson, call, uploadForm } from '../api/api-client';
import { TestApi } from '../platform/test-platform';
import { promiseOf } from '../promise-of';

/** Helpers shared by the worker's end-to-end suites. */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates an image process with a client id and uploads `bytes`, through the real API over HTTP. */
export async function createAndUpload(
  api: TestApi,
  bytes: Buffer,
  id: string = randomUUID(),
): Promise<{ id: string; upload: ApiResponse }> {
  const created = await call(`${api.url}/image/${id}`, { method: 'PUT' });
  if (created.status !== 201) throw new Error(`PUT /image/${id} answered ${created.status}: ${JSON.stringify(created.body)}`);
  const upload = await call(`${api.url}/image/${id}/upload`, { method: 'POST', body: uploadForm(bytes), headers: asJson });
  return { id, upload };
}

/** A promise with its resolve function, for a fault to signal "the call is in progress now". */
export function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Rejects if `promise` does not settle within `ms` (so a missing event fails the test fast). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Lets `parties` callers through together: each `arrive` waits until all have arrived (or
 * `timeoutMs` passed, so a barrier nobody completes slows a test down but never hangs it).
 */
export function barrier(parties: number, timeoutMs = 3_000): { arrive(): Promise<void>; readonly arrived: number } {
  let arrived = 0;
  const all = signal();
  return {
    get arrived() {
      return arrived;
    },
    async arrive() {
      if (++arrived >= parties) all.resolve();
      await within(all.promise, timeoutMs, 'barrier').catch(() => undefined);
    },
  };
}

/**
 * Closes what a test opened, last first, even when the test failed half-way. A resource closed
 * by the test itself (a shutdown under test) is not closed twice: `add` memoizes its close.
 */
export class Resources {
  private readonly closers: (() => Promise<void>)[] = [];

  add<T extends { close(): Promise<void> }>(resource: T): T {
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= resource.close());
    this.closers.push(close);
    return Object.assign(Object.create(resource) as T, { close });
  }

  /** For clients with a synchronous destroy(). */
  addDestroyable<T extends { destroy(): void }>(resource: T): T {
    this.closers.push(() => promiseOf(() => resource.destroy()));
    return resource;
  }

  /** Closes everything even if some close fails, then reports the first failure. */
  async closeAll(): Promise<void> {
    const failures: unknown[] = [];
    while (this.closers.length) await this.closers.pop()!().catch((err: unknown) => failures.push(err));
    if (failures.length) throw failures[0];
  }
}
