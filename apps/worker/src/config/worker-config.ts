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
  /**
   * Messages one receive may take beyond the free job slots, held hidden until a slot frees (a
   * receive takes at most 10). 0 (the default): only as many as free slots. Every message a worker
   * holds when it dies spends one of its receives before the dead-letter queue: with 8 held, the
   * crash-between-render-and-record experiment at 10 images/s dead-lettered a valid image.
   */
  WORKER_PREFETCH: z.coerce.number().int().min(0).max(9).default(0),
  /**
   * A finished job's delete waits up to this long to share a DeleteMessageBatch with others (its
   * message stays hidden meanwhile); at most a quarter of the visibility timeout, whatever is set.
   * Short, for the same reason: a worker that dies while a delete lingers spends that message a receive.
   * 500 ms: with RECEIVE_GATHER_MS, 0.27 deletes per image at 10 images/s in the bench (200 ms: 0.75).
   */
  DELETE_BATCH_LINGER_MS: z.coerce.number().int().min(0).max(10_000).default(500),
  RECEIVE_WAIT_SECONDS: z.coerce.number().int().min(0).max(20).default(20),
  /**
   * After a receive that emptied the queue, the next waits this long so that the messages arriving
   * meanwhile share it: fewer receives per image under a steady load, at the cost of up to this much
   * latency. A backlog is received at once, whatever is set. Two workers at 10 images/s in the bench:
   * 0.58 receives per image at 400 ms (250 ms: 0.78; each worker's pause lets the other's long poll
   * take the next message, so the pause must span a few arrivals), upload→processed p50 133 ms (47).
   */
  RECEIVE_GATHER_MS: z.coerce.number().int().min(0).max(5_000).default(400),
  /**
   * A failed job's message comes back after 2^(receives + 1) seconds, at most this long (default:
   * the visibility timeout). The receives before the dead-letter queue must outlast a dependency's
   * outage: with maxReceiveCount 5, the backoffs sum to 4 + 8 + 16 + min(cap, 32) seconds.
   */
  RETRY_BACKOFF_MAX_SECONDS: z.coerce.number().int().min(0).max(43200).optional(),
  REPAIR_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  /**
   * An image `uploaded` and not enqueued for longer than this lost its message and is re-enqueued.
   * Never less than twice the visibility timeout, whatever is set here (a queued or slow job is
   * not sent twice); that is also the default.
   */
  REPAIR_STUCK_AFTER_MS: z.coerce.number().int().min(0).optional(),
  /** Processing attempts an image gets (failed jobs and re-enqueues) before it ends `failed`. */
  MAX_PROCESSING_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  REPAIR_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  /** 0: no HTTP server (a standalone consumer); otherwise /health and the push endpoint POST /sqs. */
  WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
});

export type WorkerConfig = z.infer<typeof workerEnvSchema>;

export const loadWorkerConfig = (env: Record<string, string | undefined> = process.env): WorkerConfig => parseEnv(workerEnvSchema, env);

/** The repair threshold in force: the configured one, raised to two visibility timeouts if lower. */
export const repairStuckAfterMs = (config: WorkerConfig): number =>
  Math.max(config.REPAIR_STUCK_AFTER_MS ?? 0, 2 * config.VISIBILITY_TIMEOUT_SECONDS * 1000);
