import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** How both apps log: structured JSON lines by default, or one readable line per entry. */
export const logEnvSchema = z.object({
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  LOG_FORMAT: z.enum(['json', 'text']).default('json'),
});

export type LogEnv = z.infer<typeof logEnvSchema>;
