import type { Clock } from '@imagery/domain';

/**
 * Time as the simulator sees it: the domain's Clock, plus waiting. Injected so tests run a
 * two-minute experiment in milliseconds (libs/testing/fis/manual-fis-clock.ts) while the real
 * simulator uses the wall clock.
 */
export interface FisClock extends Clock {
  /** Resolves `true` after `ms`, or `false` as soon as `signal` aborts (a stopped action ends at once). */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

/** The wall clock, with timers. */
export const wallFisClock: FisClock = {
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
