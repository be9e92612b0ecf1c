import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `url` until it answers 2xx (true), or until `gone()` says the process ended (false).
 * Unlike waitForHttp there is no deadline: a launch that never comes up is the fleet's to judge
 * (it stays `pending`, visible to the user), and a dead one stops the wait at once.
 */
export async function waitUntilLive(url: string, gone: () => boolean, intervalMs = 100): Promise<boolean> {
  while (!gone()) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.body?.cancel();
      if (res.ok) return true;
    } catch {
      // not listening yet, or frozen: try again
    }
    await sleep(intervalMs);
  }
  return false;
}
