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

/**
 * One exact call, as a recorded fault schedule names it (chaos/nemesis/schedule): the request it
 * served and the occurrence of the operation within that request's work on one instance, or, for
 * work with no request (sweeps, polls), the fleet slot and the occurrence since the rule arrived.
 */
export const faultMatchSchema = z.object({
  requestId: z.string().min(1).optional(),
  imageId: z.string().min(1).optional(),
  /** Only on calls made with no request context: the fleet slot (`worker-2`) whose instance makes the call. */
  slot: z.string().min(1).optional(),
  /** 1-based: the Nth call of the operation in that request context (or on that slot since the rule arrived, or since `notBefore`). */
  occurrence: z.number().int().positive(),
  /**
   * Slot-keyed only: epoch ms before which the slot's calls are not counted. A recorded fault on a
   * call no request made (a poll, a delete batch) is "the slot's first such call at its time": counting
   * from the rule's arrival instead would fire it on whichever call came first after arming.
   */
  notBefore: z.number().int().optional(),
});

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
  /** Only this exact call (a replayed schedule), once; `percentage` and `nth` are then ignored. */
  match: faultMatchSchema.optional(),
  /** Epoch ms after which the rule no longer applies (a FIS action's duration). */
  expiresAt: z.number().int().optional(),
  /** Who installed it, e.g. a FIS experiment id; for metrics and clean removal. */
  source: z.string().optional(),
});

export type FaultMatch = z.infer<typeof faultMatchSchema>;
export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

export const parseFaultRules = (input: unknown): FaultRule[] => z.array(faultRuleSchema).parse(input);
