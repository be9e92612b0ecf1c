import { setTimeout as sleep } from 'node:timers/promises';

export interface HttpReadinessOptions {
  /** What counts as ready; default: a 2xx answer. May read the body. */
  readonly accept?: (res: Response) => boolean | Promise<boolean>;
  /**
   * The server's end (its exit, a failed bind...): once it settles the wait stops at once, even
   * mid-request, and resolves false.
   */
  readonly abandonOn?: Promise<unknown>;
  /** Pause between attempts; default 200 ms. */
  readonly intervalMs?: number;
  /** How long one request may take; default 2 s (a frozen server holds it open). */
  readonly attemptTimeoutMs?: number;
}

/**
 * The readiness poller: requests `url` until the answer is accepted (true), until `abandonOn`
 * settles (false), or rejects after `timeoutMs` (Infinity: no deadline, for a caller that judges
 * a launch that never comes up itself).
 */
export async function waitForHttp(url: string, timeoutMs = 30_000, options: HttpReadinessOptions = {}): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const abandoned = new AbortController();
  options.abandonOn?.then(
    () => abandoned.abort(),
    () => abandoned.abort(),
  );
  let last = 'no answer';
  while (Date.now() < deadline && !abandoned.signal.aborted) {
    const signal = AbortSignal.any([AbortSignal.timeout(options.attemptTimeoutMs ?? 2_000), abandoned.signal]);
    try {
      const res = await fetch(url, { signal });
      const accepted = await (options.accept ?? ((r: Response) => r.ok))(res);
      if (!res.bodyUsed) await res.body?.cancel();
      if (accepted) return true;
      last = res.ok ? `HTTP ${res.status}, not accepted yet` : `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(options.intervalMs ?? 200, undefined, { signal: abandoned.signal }).catch(() => undefined);
  }
  if (abandoned.signal.aborted) return false;
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}
