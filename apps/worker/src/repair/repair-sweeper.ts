import { RepairStuckImages } from '@imagery/domain';
import { Logger } from '@nestjs/common';

/** Runs the repair use case on an interval, never two sweeps at once in this process. */
export class RepairSweeper {
  private readonly logger = new Logger(RepairSweeper.name);
  private timer?: NodeJS.Timeout;
  private current?: Promise<void>;

  constructor(
    private readonly repair: RepairStuckImages,
    private readonly intervalMs: number,
    private readonly onRepaired: (count: number) => void = () => undefined,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.sweepOnce(), this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.current;
  }

  sweepOnce(): Promise<void> {
    this.current ??= this.repair
      .execute()
      .then((ids) => {
        this.onRepaired(ids.length);
        if (ids.length) this.logger.warn(`re-enqueued ${ids.length} stuck image(s): ${ids.join(', ')}`);
      })
      .catch((err: Error) => this.logger.warn(`repair sweep failed: ${err.message}`))
      .then(() => (this.current = undefined));
    return this.current;
  }
}
