import { parseEnv } from '@imagery/aws-adapters';
import { platformEnvSchema } from '@imagery/nest-platform';
import { accessSync, constants, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute } from 'node:path';
import { z } from 'zod';

export const apiEnvSchema = platformEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /**
   * When set, /metrics, /docs, /docs-json and the deep /health are served only on this port (a
   * listener the load balancer does not reach) and answer 404 on the public one.
   */
  OPS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The interface of the operational listener; loopback by default. */
  OPS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Uploads larger than this get 413. */
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  /** Uploads handled at once by this instance; more get 503 with Retry-After. */
  MAX_UPLOADS_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(32),
  /** Lifetime of the presigned `processedImage` URL. */
  PRESIGN_TTL_SECONDS: z.coerce.number().int().positive().max(604800).default(300),
  /** Where uploads are spooled while they are checked: a disk, not tmpfs (uploads x MAX_UPLOAD_BYTES). */
  UPLOAD_SPOOL_DIR: z.string().refine(isAbsolute, 'must be an absolute path').default(tmpdir()),
  /** Requests per client (by address) per RATE_LIMIT_WINDOW_SECONDS on this instance; 0 = no limit. */
  RATE_LIMIT_REQUESTS: z.coerce.number().int().min(0).default(30_000),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
});

export type ApiConfig = z.infer<typeof apiEnvSchema>;

/** Injection token for the validated configuration, read once at start. */
export const API_CONFIG = Symbol('API_CONFIG');

export const loadApiConfig = (env: Record<string, string | undefined> = process.env): ApiConfig => parseEnv(apiEnvSchema, env);

/**
 * The spool directory must exist and be writable on this host; checked when the API starts (not
 * in the schema, so a deployment's configuration can be validated on another machine).
 */
export function assertWritableDirectory(name: string, dir: string): void {
  try {
    accessSync(dir, constants.W_OK);
    if (statSync(dir).isDirectory()) return;
  } catch {
    // fall through to the one error below
  }
  throw new Error(`invalid configuration:\n  ${name}: ${dir} is not an existing, writable directory`);
}
