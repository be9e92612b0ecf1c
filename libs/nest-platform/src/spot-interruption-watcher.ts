import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

const POLL_MS = 1_000;

/**
 * Hears a spot interruption notice and drains before the instance is taken away: polls the
 * instance metadata service's `spot/instance-action` (404 until a notice; then the action and its
 * time) and, on a notice, sends this process SIGTERM, the same graceful path a stop or a scale-in
 * takes (the API reports unready then closes, the worker finishes its jobs). AWS gives two
 * minutes; polling every second leaves nearly all of them for the drain.
 *
 * Only where `INSTANCE_METADATA_URL` is set (the local fleet serves one per instance); on EC2 the
 * stack's lifecycle watcher plays this part for scale-in.
 */
@Injectable()
export class SpotInterruptionWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SpotInterruptionWatcher.name);
  private timer?: NodeJS.Timeout;
  private heard = false;

  constructor(private readonly metadataUrl: string | undefined) {}

  onApplicationBootstrap(): void {
    if (!this.metadataUrl) return;
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    if (this.heard) return;
    try {
      const res = await fetch(`${this.metadataUrl}/latest/meta-data/spot/instance-action`, { signal: AbortSignal.timeout(POLL_MS) });
      const text = await res.text();
      if (res.status !== 200 || this.heard) return;
      this.heard = true;
      clearInterval(this.timer);
      this.logger.warn(`spot interruption notice ${text}: draining`);
      process.kill(process.pid, 'SIGTERM');
    } catch {
      // metadata service unreachable this time: poll again
    }
  }
}
