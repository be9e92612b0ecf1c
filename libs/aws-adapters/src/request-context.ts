import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The client request a piece of work serves, wherever the work happens: the API sets it for each
 * HTTP request (from `x-request-id`, or a new one), the worker for each message (the upload's id,
 * carried in the message). Logs and injected faults read it, so a fault deep in the worker links
 * back to the upload that caused it.
 */
export interface RequestContext {
  readonly requestId: string;
  /** The image the request concerns, once known. */
  imageId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` as the current request (for everything it awaits, too). */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request, if the caller runs inside one. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
