import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/**
 * On SIGTERM, readiness turns 503 first and the server keeps serving for `drainDelayMs`, so a
 * load balancer's health check takes the instance out before it stops accepting connections.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  draining = false;

  constructor(private readonly drainDelayMs: number) {}

  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    if (this.drainDelayMs > 0) await new Promise((r) => setTimeout(r, this.drainDelayMs));
  }
}
