import { parseEnv } from '@imagery/aws-adapters';
import { platformEnvSchema } from '@imagery/nest-platform';
import { z } from 'zod';

export const apiEnvSchema = platformEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Uploads larger than this get 413. */
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  /** Lifetime of the presigned `processedImage` URL. */
  PRESIGN_TTL_SECONDS: z.coerce.number().int().positive().max(604800).default(300),
  /** Where uploads are spooled while they are checked; the OS temp dir by default. */
  UPLOAD_SPOOL_DIR: z.string().optional(),
});

export type ApiConfig = z.infer<typeof apiEnvSchema>;

/** Injection token for the validated configuration, read once at start. */
export const API_CONFIG = Symbol('API_CONFIG');

export const loadApiConfig = (env: Record<string, string | undefined> = process.env): ApiConfig => parseEnv(apiEnvSchema, env);
