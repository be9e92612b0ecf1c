type Stop = { readonly name?: string; readonly stop: () => unknown };

/**
 * What has started so far, stopped last-in first-out: whatever came up last (and may depend on the
 * rest) goes first. A part that fails to stop is logged and the others still stop. It runs once:
 * a second stopAll (a signal while the normal end is stopping) waits for the same. The platform's
 * start and the benches use it, so no process they started outlives them.
 */
export class Teardown {
  private readonly stops: Stop[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly log: (line: string) => void) {}

  /** Registers how to stop `part` (just started), `name` saying what failed if it does; returns `part`. */
  add<T>(part: T, stop: (part: T) => unknown, name?: string): T {
    this.stops.push({ name, stop: () => stop(part) });
    return part;
  }

  stopAll(): Promise<void> {
    return (this.stopping ??= this.stopEach());
  }

  /** Pops each one, so a part registered while stopping is stopped too. */
  private async stopEach(): Promise<void> {
    for (let next = this.stops.pop(); next; next = this.stops.pop()) {
      const { name, stop } = next;
      await Promise.resolve()
        .then(stop)
        .catch((err: unknown) => this.log(`stop${name ? ` ${name}` : ''} failed: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
}
