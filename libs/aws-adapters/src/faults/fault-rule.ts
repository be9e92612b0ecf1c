import { z } from 'zod';

/**
 * What to break, and how. Rules arrive as JSON (configuration at start, the FIS simulator at run
 * time), so the schema is the contract.
 */
export const faultSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('internal-error') }),
  z.object({ kind: z.literal('unavailable') }),
  z.object({ kind: z.literal('throttle') }),
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(0).max(600_000), jitterMs: z.number().int().min(0).default(0) }),
  /** The request reaches the service and is applied; the response is lost; the caller sees a network error. */
  z.object({ kind: z.literal('ambiguous') }),
  /** The process dies (SIGKILL, no cleanup) right before sending, or right after the service applied the call. */
  z.object({ kind: z.literal('crash'), when: z.enum(['before', 'after']) }),
]);

export const faultRuleSchema = z.object({
  id: z.string().min(1),
  service: z.enum(['dynamodb', 's3', 'sqs']),
  /**
   * AWS operation names (`UpdateItem`, `SendMessage`, `PutObject`...); empty means every operation.
   * A name covers its batch form as well: `DeleteMessage` also fails `DeleteMessageBatch` calls.
   */
  operations: z.array(z.string().min(1)).default([]),
  /** Share of matching calls that fail, 0-100 (seeded choice). */
  percentage: z.number().min(0).max(100).default(100),
  /** Only the Nth matching call (1-based), instead of a percentage. */
  nth: z.number().int().positive().optional(),
  fault: faultSpecSchema,
  /** Epoch ms after which the rule no longer applies (a FIS action's duration). */
  expiresAt: z.number().int().optional(),
  /** Who installed it, e.g. a FIS experiment id; for metrics and clean removal. */
  source: z.string().optional(),
});

export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

export const parseFaultRules = (input: unknown): FaultRule[] => z.array(faultRuleSchema).parse(input);
