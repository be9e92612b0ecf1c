import type { FisClock } from '../../../chaos/fis/clock';

interface Sleeper {
  readonly due: number;
  readonly seq: number;
  wake(): void;
}

/**
 * A FisClock that moves only when a test advances it. `advance` wakes sleepers in time order
 * and lets the promise chains they start run (a few event-loop turns) before the next, so a
 * two-minute experiment plays out in milliseconds, deterministically.
 */
export class ManualFisClock implements FisClock {
  private current: number;
  private sleepers: Sleeper[] = [];
  private seq = 0;

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const sleeper: Sleeper = {
        due: this.current + Math.max(0, ms),
        seq: this.seq++,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(true);
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Moves time forward by `ms`, waking every sleeper due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const next = this.sleepers.filter((s) => s.due <= target).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.current = Math.max(this.current, next.due);
      next.wake();
    }
    this.current = target;
    await settle();
  }

  /** How many sleeps are pending (to see that a stopped action left nothing behind). */
  pending(): number {
    return this.sleepers.length;
  }
}

/** Lets pending promise chains and I/O callbacks run. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
