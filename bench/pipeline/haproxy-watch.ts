import type { HaproxyServer } from '../../platform/local/haproxy/haproxy-server';

export interface HaproxyAvailability {
  readonly samples: number;
  /** Seconds with fewer API servers UP than the fleet has slots, and with none UP (HAProxy then answers 503). */
  readonly degradedSeconds: number;
  readonly noneUpSeconds: number;
  readonly minUp: number;
}

/**
 * Polls HAProxy's stats for the API servers' states while a phase runs: under overload its
 * readiness checks (GET /health: DynamoDB, S3 and SQS pinged, 1 s check timeout) can fail and take
 * servers out of rotation, which a client sees as 503s rather than as slow answers.
 */
export function watchHaproxy(
  haproxy: Pick<HaproxyServer, 'serverStates'>,
  servers: number,
  intervalMs = 500,
): { stop(): Promise<HaproxyAvailability> } {
  let samples = 0;
  let degraded = 0;
  let noneUp = 0;
  let minUp = servers;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const states = await haproxy.serverStates().catch(() => undefined);
      if (states) {
        const up = Object.values(states).filter((s) => s === 'UP').length;
        samples++;
        minUp = Math.min(minUp, up);
        if (up < servers) degraded++;
        if (up === 0) noneUp++;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      const seconds = (n: number) => Math.round((n * intervalMs) / 100) / 10;
      return { samples, degradedSeconds: seconds(degraded), noneUpSeconds: seconds(noneUp), minUp };
    },
  };
}
