import { z } from 'zod';
import { parseIsoDuration } from '../iso-duration';

/**
 * The shape of a template (types of fields, what is required). Actions and targets are strict:
 * a misspelt `startafter` is an error, not a silently ignored field. At the top level fields
 * newer clients may send pass through.
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

const isoDuration = z.string().refine((v) => parseIsoDuration(v) !== undefined, { message: 'must be an ISO 8601 duration (e.g. PT5M)' });

/** Where FIS writes the experiment report, and over which window around the experiment. */
const experimentReportConfiguration = z
  .object({
    outputs: z
      .object({
        s3Configuration: z
          .object({
            bucketName: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
            prefix: z.string().max(256).optional(),
          })
          .strict(),
      })
      .strict()
      .optional(),
    dataSources: z
      .object({
        cloudWatchDashboards: z
          .array(z.object({ dashboardIdentifier: z.string().min(1) }).strict())
          .max(1)
          .optional(),
      })
      .strict()
      .optional(),
    preExperimentDuration: isoDuration.optional(),
    postExperimentDuration: isoDuration.optional(),
  })
  .strict();

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
    experimentReportConfiguration: experimentReportConfiguration.optional(),
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
    experimentReportConfiguration: experimentReportConfiguration.optional(),
  })
  .passthrough();

/** StartExperiment's options: only actionsMode (`skip-all` is a dry run). */
export const startExperimentOptionsSchema = z.object({ actionsMode: z.enum(['skip-all', 'run-all']).optional() }).strict();

/** Zod's issues as one FIS-style message: `actions.kill.parameters.duration: Expected string, received number`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'request'}: ${i.message}`).join('; ');
}
