import { PlatformAdapters } from '@imagery/aws-adapters';
import { ProcessImage, RepairStuckImages } from '@imagery/domain';
import { SharpImageFilter } from '@imagery/image-filter';
import {
  ADVERSARY,
  Adversary,
  PLATFORM_ADAPTERS,
  PlatformMetrics,
  PlatformOptions,
  USE_CASE_PORTS,
  UseCasePorts,
  adversaryProviders,
  platformProviders,
} from '@imagery/nest-platform';
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
    // The real build unless chaos mode asks for an adversary (libs/adversaries, loaded only then).
    ...adversaryProviders(config, () => new SharpImageFilter({ maxInputPixels: config.MAX_INPUT_PIXELS })),
    {
      provide: ImageMessageHandler,
      inject: [USE_CASE_PORTS, ADVERSARY],
      useFactory: (p: UseCasePorts, adversary: Adversary) =>
        new ImageMessageHandler(
          (adversary.processImage?.(p) ??
            new ProcessImage(p.table, p.store, p.filter, p.clock, { maxAttempts: config.MAX_PROCESSING_ATTEMPTS })) as ProcessImage,
        ),
    },
    {
      provide: SqsPoller,
      inject: [USE_CASE_PORTS, ImageMessageHandler, PlatformMetrics],
      useFactory: (p: UseCasePorts, handler: ImageMessageHandler, metrics: PlatformMetrics) =>
        new SqsPoller(p.queue, handler, {
          concurrency: config.WORKER_CONCURRENCY,
          prefetch: config.WORKER_PREFETCH,
          // Well inside a heartbeat period (half the visibility timeout): a finished job's message needs no renewal.
          deleteLingerMs: Math.min(config.DELETE_BATCH_LINGER_MS, (config.VISIBILITY_TIMEOUT_SECONDS * 1000) / 4),
          waitSeconds: config.RECEIVE_WAIT_SECONDS,
          receiveGatherMs: config.RECEIVE_GATHER_MS,
          visibilityTimeoutSeconds: config.VISIBILITY_TIMEOUT_SECONDS,
          maxBackoffSeconds: config.RETRY_BACKOFF_MAX_SECONDS ?? config.VISIBILITY_TIMEOUT_SECONDS,
          onJob: (outcome, seconds) => {
            metrics.jobs.inc({ outcome });
            metrics.jobDuration.observe(seconds);
          },
        }),
    },
    repairSweeperProvider(config),
    {
      provide: QueueDepthCollector,
      inject: [PLATFORM_ADAPTERS, PlatformMetrics],
      useFactory: (a: PlatformAdapters, metrics: PlatformMetrics) =>
        new QueueDepthCollector(a.clients.sqs, metrics, { main: config.IMAGES_QUEUE_URL, dead_letter: config.IMAGES_DLQ_URL }),
    },
    {
      provide: WorkerRuntime,
      inject: [SqsPoller, RepairSweeper, ADVERSARY],
      // An adversary may run without the repair sweep (the seed has none).
      useFactory: (poller: SqsPoller, sweeper: RepairSweeper, adversary: Adversary) =>
        new WorkerRuntime(config.WORKER_POLL ? poller : undefined, adversary.repairSweep === false ? undefined : sweeper),
    },
  ];
}

/** The repair sweep: re-sends images stuck in `uploaded`, never sooner than two visibility timeouts. */
function repairSweeperProvider(config: WorkerConfig): Provider {
  return {
    provide: RepairSweeper,
    inject: [USE_CASE_PORTS, PlatformMetrics],
    useFactory: (p: UseCasePorts, metrics: PlatformMetrics) => {
      if (config.REPAIR_STUCK_AFTER_MS !== undefined && config.REPAIR_STUCK_AFTER_MS < repairStuckAfterMs(config)) {
        new Logger(RepairSweeper.name).warn(
          `REPAIR_STUCK_AFTER_MS=${config.REPAIR_STUCK_AFTER_MS} is under two visibility timeouts; ` +
            `using ${repairStuckAfterMs(config)} ms so queued or slow jobs are not sent twice`,
        );
      }
      return new RepairSweeper(
        new RepairStuckImages(
          p.table,
          p.queue,
          p.clock,
          { stuckAfterMs: repairStuckAfterMs(config), batchSize: config.REPAIR_BATCH_SIZE },
          { maxAttempts: config.MAX_PROCESSING_ATTEMPTS },
        ),
        config.REPAIR_INTERVAL_MS,
        (count) => metrics.repairs.inc(count),
      );
    },
  };
}
