import { PlatformAdapters } from '@imagery/aws-adapters';
import { ProcessImage, RepairStuckImages, systemClock } from '@imagery/domain';
import { SharpImageFilter } from '@imagery/image-filter';
import { PLATFORM_ADAPTERS, PlatformOptions, ShutdownState, platformAdapterProviders } from '@imagery/nest-platform';
import { Provider } from '@nestjs/common';
import { WORKER_CONFIG, WorkerConfig } from './config/worker-config';
import { ImageMessageHandler } from './consumer/image-message.handler';
import { SqsPoller } from './consumer/sqs-poller';
import { RepairSweeper } from './repair/repair-sweeper';
import { WorkerRuntime } from './worker-runtime';

/** Wires ports to adapters and use cases to ports for the worker. */
export function workerProviders(config: WorkerConfig, options: PlatformOptions): Provider[] {
  return [
    { provide: WORKER_CONFIG, useValue: config },
    ...platformAdapterProviders(config, options),
    { provide: ShutdownState, useFactory: () => new ShutdownState(config.DRAIN_DELAY_MS) },
    {
      provide: ImageMessageHandler,
      inject: [PLATFORM_ADAPTERS],
      useFactory: (a: PlatformAdapters) =>
        new ImageMessageHandler(new ProcessImage(a.table, a.store, new SharpImageFilter({ maxInputPixels: config.MAX_INPUT_PIXELS }), systemClock)),
    },
    {
      provide: SqsPoller,
      inject: [PLATFORM_ADAPTERS, ImageMessageHandler],
      useFactory: (a: PlatformAdapters, handler: ImageMessageHandler) =>
        new SqsPoller(a.queue, handler, {
          concurrency: config.WORKER_CONCURRENCY,
          waitSeconds: config.RECEIVE_WAIT_SECONDS,
          visibilityTimeoutSeconds: config.VISIBILITY_TIMEOUT_SECONDS,
        }),
    },
    {
      provide: RepairSweeper,
      inject: [PLATFORM_ADAPTERS],
      useFactory: (a: PlatformAdapters) =>
        new RepairSweeper(
          new RepairStuckImages(a.table, a.queue, systemClock, { stuckAfterMs: config.REPAIR_STUCK_AFTER_MS, batchSize: config.REPAIR_BATCH_SIZE }),
          config.REPAIR_INTERVAL_MS,
        ),
    },
    {
      provide: WorkerRuntime,
      inject: [SqsPoller, RepairSweeper],
      useFactory: (poller: SqsPoller, sweeper: RepairSweeper) => new WorkerRuntime(config.WORKER_POLL ? poller : undefined, sweeper),
    },
  ];
}
