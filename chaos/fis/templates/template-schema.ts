import { z } from 'zod';

/**
 * The shape of a template (types of fields, what is required). Actions and targets are strict:
 * a misspelt `startafter` is an error, not a silently ignored field. At the top level fields
 * newer clients may send (e.g. experimentReportConfiguration) pass through.
 * The meaning (known actions, parameters, references, cycles) is checked in template-validator.ts.
 */
const stringMap = z.record(z.string(), z.string());

const filter = z.object({ path: z.string().min(1), values: z.array(z.string()).min(1) }).strict();

const target = z
  .object({
    resourceType: z.string().min(1),
    resourceArns: z.array(z.string()).optional(),
    resourceTags: stringMap.optional(),
    filters: z.array(filter).optional(),
    selectionMode: z.string().min(1),
    parameters: stringMap.optional(),
  })
  .strict();

const action = z
  .object({
    actionId: z.string().min(1),
    description: z.string().max(512).optional(),
    parameters: stringMap.optional(),
    targets: stringMap.optional(),
    startAfter: z.array(z.string()).optional(),
  })
  .strict();

const stopCondition = z.object({ source: z.string().min(1), value: z.string().optional() }).strict();

const experimentOptions = z
  .object({
    accountTargeting: z.enum(['single-account', 'multi-account']).optional(),
    emptyTargetResolutionMode: z.enum(['fail', 'skip']).optional(),
  })
  .strict();

export const templateInputSchema = z
  .object({
    description: z.string().min(1).max(512),
    roleArn: z.string().min(1),
    actions: z.record(z.string(), action),
    targets: z.record(z.string(), target).optional(),
    stopConditions: z.array(stopCondition).min(1),
    tags: stringMap.optional(),
    experimentOptions: experimentOptions.optional(),
    logConfiguration: z.unknown().optional(),
  })
  .passthrough();

/** The parts UpdateExperimentTemplate may send; each replaces or merges into the stored template. */
export const templateUpdateSchema = z
  .object({
    description: z.string().min(1).max(512).optional(),
    roleArn: z.string().min(1).optional(),
    actions: z.record(z.string(), action.partial()).optional(),
    targets: z.record(z.string(), target.partial()).optional(),
    stopConditions: z.array(stopCondition).min(1).optional(),
    experimentOptions: experimentOptions.optional(),
    logConfiguration: z.unknown().optional(),
  })
  .passthrough();

/** Zod's issues as one FIS-style message: `actions.kill.parameters.duration: Expected string, received number`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'request'}: ${i.message}`).join('; ');
}
