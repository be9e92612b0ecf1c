import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SqsPoller } from './consumer/sqs-poller';
import { RepairSweeper } from './repair/repair-sweeper';

/** Starts consuming and sweeping once the app is up; on SIGTERM stops polling and finishes jobs in flight. */
@Injectable()
export class WorkerRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerRuntime.name);

  constructor(
    private readonly poller: SqsPoller | undefined,
    private readonly sweeper: RepairSweeper | undefined,
  ) {}

  onApplicationBootstrap(): void {
    this.poller?.start();
    this.sweeper?.start();
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`stopping (${signal ?? 'close'}): ${this.poller?.activeJobs ?? 0} job(s) in flight`);
    await Promise.all([this.poller?.stop(), this.sweeper?.stop()]);
  }
}
