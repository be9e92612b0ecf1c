import { PlatformAdapters } from '@imagery/aws-adapters';
import { ProcessImage, RepairStuckImages, systemClock } from '@imagery/domain';
import { SharpImageFilter } from '@imagery/image-filter';
import { NaiveProcessImage, naiveTable } from '@imagery/naive-build';
import { PLATFORM_ADAPTERS, PlatformMetrics, PlatformOptions, platformProviders } from '@imagery/nest-platform';
import { Logger, Provider } from '@nestjs/common';
import { WorkerConfig, repairStuckAfterMs } from './config/worker-config';
import { ImageMessageHandler } from './consumer/image-message.handler';
import { SqsPoller } from './consumer/sqs-poller';
import { RepairSweeper } from './repair/repair-sweeper';
import { QueueDepthCollector } from './metrics/queue-depth.collector';
import { WorkerRuntime } from './worker-runtime';

/** Wires ports to adapters and use cases to ports for the worker. */
export function workerProviders(config: WorkerConfig, options: PlatformOptions): Provider[] {
  return [
    ...platformProviders(config, 'worker', options),
    {
      provide: ImageMessageHandler,
      inject: [PLATFORM_ADAPTERS],
      useFactory: (a: PlatformAdapters) => {
        const filter = new SharpImageFilter({ maxInputPixels: config.MAX_INPUT_PIXELS });
        return new ImageMessageHandler(
          config.NAIVE_BUILD
            ? (new NaiveProcessImage(naiveTable(a, config), a.store, filter) as unknown as ProcessImage)
            : new ProcessImage(a.table, a.store, filter, systemClock, { maxAttempts: config.MAX_PROCESSING_ATTEMPTS }),
        );
      },
    },
    {
      provide: SqsPoller,
      inject: [PLATFORM_ADAPTERS, ImageMessageHandler, PlatformMetrics],
      useFactory: (a: PlatformAdapters, handler: ImageMessageHandler, metrics: PlatformMetrics) =>
        new SqsPoller(a.queue, handler, {
          concurrency: config.WORKER_CONCURRENCY,
          waitSeconds: config.RECEIVE_WAIT_SECONDS,
          visibilityTimeoutSeconds: config.VISIBILITY_TIMEOUT_SECONDS,
          onJob: (outcome, seconds) => {
            metrics.jobs.inc({ outcome });
            metrics.jobDuration.observe(seconds);
          },
        }),
    },
    {
      provide: RepairSweeper,
      inject: [PLATFORM_ADAPTERS, PlatformMetrics],
      useFactory: (a: PlatformAdapters, metrics: PlatformMetrics) => {
        if (config.REPAIR_STUCK_AFTER_MS !== undefined && config.REPAIR_STUCK_AFTER_MS < repairStuckAfterMs(config)) {
          new Logger(RepairSweeper.name).warn(
            `REPAIR_STUCK_AFTER_MS=${config.REPAIR_STUCK_AFTER_MS} is under two visibility timeouts; using ${repairStuckAfterMs(config)} ms so queued or slow jobs are not sent twice`,
          );
        }
        return new RepairSweeper(
          new RepairStuckImages(
            a.table,
            a.queue,
            systemClock,
            { stuckAfterMs: repairStuckAfterMs(config), batchSize: config.REPAIR_BATCH_SIZE },
            { maxAttempts: config.MAX_PROCESSING_ATTEMPTS },
          ),
          config.REPAIR_INTERVAL_MS,
          (count) => metrics.repairs.inc(count),
        );
      },
    },
    {
      provide: QueueDepthCollector,
      inject: [PLATFORM_ADAPTERS, PlatformMetrics],
      useFactory: (a: PlatformAdapters, metrics: PlatformMetrics) =>
        new QueueDepthCollector(a.clients.sqs, metrics, { main: config.IMAGES_QUEUE_URL, dead_letter: config.IMAGES_DLQ_URL }),
    },
    {
      provide: WorkerRuntime,
      inject: [SqsPoller, RepairSweeper],
      // The naive build has no repair sweep: that is one of its mistakes.
      useFactory: (poller: SqsPoller, sweeper: RepairSweeper) =>
        new WorkerRuntime(config.WORKER_POLL ? poller : undefined, config.NAIVE_BUILD ? undefined : sweeper),
    },
  ];
}
