/**
 * Time as the simulator sees it. Injected so tests run a two-minute experiment in milliseconds
 * (testing/manual-clock.ts) while the real simulator uses the wall clock.
 */
export interface FisClock {
  now(): number;
  /** Resolves `true` after `ms`, or `false` as soon as `signal` aborts (a stopped action ends at once). */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

export const systemClock: FisClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(true);
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
