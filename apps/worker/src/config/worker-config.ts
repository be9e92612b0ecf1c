import { envBoolean, parseEnv } from '@imagery/aws-adapters';
import { platformEnvSchema } from '@imagery/nest-platform';
import { z } from 'zod';

export const workerEnvSchema = platformEnvSchema.extend({
  /** Jobs processed at once by this worker. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Long-poll the queue (false for an Elastic Beanstalk worker tier, which pushes to POST /sqs). */
  WORKER_POLL: envBoolean.default('true'),
  /** Should match the queue's: a job's message is hidden this long, renewed while the job runs. */
  VISIBILITY_TIMEOUT_SECONDS: z.coerce.number().int().min(2).max(43200).default(60),
  RECEIVE_WAIT_SECONDS: z.coerce.number().int().min(0).max(20).default(20),
  REPAIR_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  /**
   * An image `uploaded` for longer than this lost its message and is re-enqueued. Default: twice
   * the visibility timeout, so a job that is merely slow (its message renewed) is not sent twice.
   */
  REPAIR_STUCK_AFTER_MS: z.coerce.number().int().min(0).optional(),
  REPAIR_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  /** 0: no HTTP server (a standalone consumer); otherwise /health and the push endpoint POST /sqs. */
  WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
});

export type WorkerConfig = z.infer<typeof workerEnvSchema>;

export const loadWorkerConfig = (env: Record<string, string | undefined> = process.env): WorkerConfig => parseEnv(workerEnvSchema, env);
