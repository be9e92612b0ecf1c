import { round1 } from '@imagery/kernel/stats';

/**
 * The pipeline bench's progress lines, stamped with the seconds since it started. Silenced on
 * SIGINT/SIGTERM: the phase in flight may still return while the platform stops; say nothing more of it.
 */
export class BenchLog {
  readonly started = Date.now();
  private silenced = false;

  readonly line = (text: string): void => {
    if (!this.silenced) console.log(`[bench ${String(Math.round((Date.now() - this.started) / 1000)).padStart(3)}s] ${text}`);
  };

  silence(): void {
    this.silenced = true;
  }

  get interrupted(): boolean {
    return this.silenced;
  }

  /** Seconds since the bench started, to a tenth. */
  elapsedSeconds(): number {
    return round1((Date.now() - this.started) / 1000);
  }
}
