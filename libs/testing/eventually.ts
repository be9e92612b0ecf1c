/** How often a probe is tried again: short, so a test waits little past the moment its condition holds. */
const POLL_INTERVAL_MS = 50;

/**
 * Polls `probe` until it returns something other than undefined, and returns that; fails after
 * `timeoutMs`, naming `what` it waited for. The one way tests wait for a condition.
 */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
