import { awsResourcesEnvSchema } from '@imagery/aws-adapters';
import { z } from 'zod';
import { chaosEnvSchema } from './chaos/chaos-config';
import { logEnvSchema } from './logging/log-config';

/** What every app instance reads: its AWS resources, its identity, and chaos mode. */
export const platformEnvSchema = awsResourcesEnvSchema
  .merge(chaosEnvSchema)
  .merge(logEnvSchema)
  .extend({
    /** Set by the fleet supervisor (`api-1`, `worker-2`...); labels metrics and logs. */
    INSTANCE_ID: z.string().min(1).optional(),
    /** The interface the HTTP server (API, or worker with WORKER_HTTP_PORT) listens on. */
    HOST: z.string().default('127.0.0.1'),
    /** On SIGTERM, report not-ready this long before closing, so the load balancer stops routing here. */
    DRAIN_DELAY_MS: z.coerce.number().int().min(0).default(0),
    /** Only for queue-depth metrics; optional. */
    IMAGES_DLQ_URL: z.string().url().optional(),
  });

export type PlatformEnv = z.infer<typeof platformEnvSchema>;
