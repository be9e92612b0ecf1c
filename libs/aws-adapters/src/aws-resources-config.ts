import { z } from 'zod';

/** Environment flags are strings; accept the usual spellings. */
export const envBoolean = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Which table, bucket and queue to use. Everything else about AWS (region, endpoints,
 * credentials, retries) comes from the SDK's standard environment variables.
 */
export const awsResourcesEnvSchema = z.object({
  IMAGES_TABLE: z.string().min(1),
  IMAGES_TABLE_STATE_INDEX: z.string().min(1).default('state-updatedAt-index'),
  IMAGES_BUCKET: z.string().min(1),
  IMAGES_QUEUE_URL: z.string().url(),
  S3_FORCE_PATH_STYLE: envBoolean.default('false'),
  /** Decompression-bomb guard shared by the API's check and the worker's decoder. */
  MAX_INPUT_PIXELS: z.coerce.number().int().positive().default(40_000_000),
});

export type AwsResourcesEnv = z.infer<typeof awsResourcesEnvSchema>;

/** Parses the environment, failing with one line per bad or missing variable. */
export function parseEnv<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, env: Record<string, string | undefined>): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i: z.ZodIssue) => `  ${i.path.join('.')}: ${i.message}`);
  throw new Error(`invalid configuration:\n${lines.join('\n')}`);
}
