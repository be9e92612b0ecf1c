import { round1 } from '@imagery/kernel/stats';

/**
 * Gaps in the bench's own clock: a timer due every `tickMs` that fires seconds late, or a wall clock
 * that jumps away from the monotonic one, means the whole machine stood still (a paused or snapshotted
 * VM: every process stops at once, and no stolen time shows it). A phase with a stall measured the
 * pause, not the platform: its latencies carry it, and its rates were offered to a frozen machine.
 */
export interface Stalls {
  readonly count: number;
  readonly longestSeconds: number;
  readonly totalSeconds: number;
}

/** Far beyond a loaded event loop's lag (tens to hundreds of ms here), far below any pause worth a rerun. */
export const STALL_THRESHOLD_MS = 2_000;

export class StallDetector {
  private last?: { wall: number; mono: number };
  private readonly gaps: number[] = [];

  constructor(
    private readonly tickMs: number,
    private readonly thresholdMs = STALL_THRESHOLD_MS,
  ) {}

  /** One tick of the timer, with both clocks read at it. */
  tick(wallMs: number, monoMs: number): void {
    if (this.last) {
      const wall = wallMs - this.last.wall;
      const mono = monoMs - this.last.mono;
      const late = Math.max(wall, mono) - this.tickMs; // one clock may skip the pause, the other not
      if (late > this.thresholdMs) this.gaps.push(late / 1000);
    }
    this.last = { wall: wallMs, mono: monoMs };
  }

  stalls(): Stalls {
    return {
      count: this.gaps.length,
      longestSeconds: round1(Math.max(0, ...this.gaps)),
      totalSeconds: round1(this.gaps.reduce((a, b) => a + b, 0)),
    };
  }
}

/** Watches from now until `stop()`. */
export function watchStalls(tickMs = 250): { stop(): Stalls } {
  const detector = new StallDetector(tickMs);
  const tick = () => detector.tick(Date.now(), performance.now());
  tick();
  const timer = setInterval(tick, tickMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      tick();
      return detector.stalls();
    },
  };
}
