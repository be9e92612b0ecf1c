/**
 * What has started so far, stopped in the reverse order: the front first (no new requests), then
 * what is behind it (no instances, then no network). A part that fails to stop is logged and the
 * others still stop.
 */
export class Teardown {
  private readonly steps: Array<() => unknown> = [];

  constructor(private readonly log: (line: string) => void) {}

  /** Registers how to stop `part` (just started); returns it. */
  add<T>(part: T, stop: (part: T) => unknown): T {
    this.steps.push(() => stop(part));
    return part;
  }

  async stopAll(): Promise<void> {
    for (const step of [...this.steps].reverse())
      await Promise.resolve()
        .then(step)
        .catch((err: unknown) => this.log(`stop failed: ${err instanceof Error ? err.message : String(err)}`));
  }
}
