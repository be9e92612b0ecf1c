import { faultMatchSchema, faultSpecSchema } from '@imagery/aws-adapters/faults/fault-rule';
import { z } from 'zod';

/** Milliseconds since the load started: a schedule's only clock, so it runs the same on any day. */
const offsetMs = z.number().int().min(0);

/**
 * An API fault on one exact call: the request context it ran in (the API's request id, carried to
 * the worker in the message) and the occurrence of the operation there, or for work with no request
 * (sweeps, polls) the slot and the occurrence since `at`. `role` says which side made the call: the
 * API and the worker both work under an upload's request id.
 */
const apiFault = z.object({
  type: z.literal('api'),
  at: offsetMs,
  role: z.enum(['api', 'worker']),
  service: z.enum(['dynamodb', 's3', 'sqs']),
  operation: z.string().min(1),
  fault: faultSpecSchema,
  match: faultMatchSchema,
});

/** An instance killed by the nemesis, by fleet slot (`worker-2`), never by launch: a replay's launches differ. */
const killFault = z.object({
  type: z.literal('kill'),
  at: offsetMs,
  slot: z.string().min(1),
  action: z.enum(['terminate', 'stop', 'reboot', 'spot-interruption']),
  /** For `stop`: when the instance was started again (absent: it stayed stopped). */
  until: offsetMs.optional(),
});

/** A Toxiproxy toxic in place on one proxy from `at` to `until`. */
const toxicFault = z.object({
  type: z.literal('toxic'),
  at: offsetMs,
  until: offsetMs,
  proxy: z.string().min(1),
  toxic: z.object({
    type: z.string().min(1),
    stream: z.enum(['upstream', 'downstream']).optional(),
    toxicity: z.number().min(0).max(1).optional(),
    attributes: z.record(z.number()),
  }),
});

/** A proxy cut (network disrupted) from `at` to `until`: `target` is the proxy (`dynamodb-a`, or `sqs` for every zone's). */
const networkFault = z.object({ type: z.literal('network'), at: offsetMs, until: offsetMs, target: z.string().min(1) });

export const scheduledFaultSchema = z.discriminatedUnion('type', [apiFault, killFault, toxicFault, networkFault]);

/**
 * A run's faults as data (issue 17): what a replay executes exactly and a shrinker reduces. Seeds
 * generate schedules; a schedule, not a seed, is what is replayed.
 */
export const faultScheduleSchema = z.object({
  /** When the nemesis started (the FIS experiment, after the warm-up), ms since the load started. */
  startsAt: offsetMs,
  /** When it ended: the compiled experiment lasts until then, as the recorded one did. */
  endsAt: offsetMs,
  faults: z.array(scheduledFaultSchema),
  /**
   * The recorded experiment's fault actions that fired nothing (their run was INCONCLUSIVE for it): a
   * replay keeps each as an action that breaks nothing, so it is judged as the recording was.
   */
  idleActions: z.array(z.object({ action: z.string().min(1), actionId: z.string().min(1) })).optional(),
});

export type ScheduledFault = z.infer<typeof scheduledFaultSchema>;
export type ApiScheduledFault = Extract<ScheduledFault, { type: 'api' }>;
export type FaultSchedule = z.infer<typeof faultScheduleSchema>;

/** A fault's identity across runs: equal keys are "the same fault" (its time is compared apart). */
export function faultKey(f: ScheduledFault): string {
  switch (f.type) {
    case 'api': {
      const where = f.match.requestId ?? f.match.imageId ?? f.match.slot ?? 'any';
      const image = f.match.requestId && f.match.imageId ? ` image ${f.match.imageId}` : '';
      return `api ${f.role} ${f.service}:${f.operation} ${faultName(f.fault)} in ${where}${image} #${f.match.occurrence}`;
    }
    case 'kill':
      return `kill ${f.action} ${f.slot}`;
    case 'toxic':
      return `toxic ${f.toxic.type} on ${f.proxy}`;
    case 'network':
      return `network cut ${f.target}`;
  }
}

const faultName = (spec: ApiScheduledFault['fault']) => (spec.kind === 'crash' ? `crash-${spec.when}` : spec.kind);
