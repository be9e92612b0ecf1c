import { Clock } from '@imagery/domain/ports/clock.port';

/** A clock that only moves when a test says so. */
export class ManualClock implements Clock {
  static readonly START = Date.UTC(2024, 0, 1);

  constructor(private current: number = ManualClock.START) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): number {
    if (ms < 0) throw new Error(`a clock does not go backwards (advance ${ms})`);
    this.current += ms;
    return this.current;
  }

  set(epochMs: number): void {
    if (epochMs < this.current) throw new Error(`a clock does not go backwards (${epochMs} < ${this.current})`);
    this.current = epochMs;
  }
}
