/**
 * Runs `work` now and hands back its result, or what it threw, as a settled promise: what an async
 * function that awaits nothing does. Fakes of asynchronous ports use it, so their effects still
 * happen at the call, without an `async` that awaits nothing.
 */
export function promiseOf<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work())); // a throw in the executor rejects the promise
}
