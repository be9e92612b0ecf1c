import { faultMatchSchema, faultSpecSchema, type FaultRule } from '@imagery/aws-adapters/faults/fault-rule';
import type { InstanceRole } from '@imagery/control-plane/control-plane';
import { z } from 'zod';
import { requireIsoDuration } from '../iso-duration';
import type { FisAction } from './fis-action';
import { durationParameter } from './parameters';

/** One exact call to break: what a recorded fault schedule names (chaos/nemesis/schedule). */
export const exactFaultSchema = z.object({
  service: z.enum(['dynamodb', 's3', 'sqs']),
  operation: z.string().regex(/^[A-Za-z0-9]+$/),
  fault: faultSpecSchema,
  match: faultMatchSchema.omit({ notBefore: true }),
  /** Slot-keyed faults: ms after the action starts before the slot's calls count (its recorded time). */
  afterMs: z.number().int().min(0).optional(),
});
export type ExactFault = z.infer<typeof exactFaultSchema>;

/** None: a recorded action that fired nothing, replayed as one that breaks nothing (FaultSchedule.idleActions). */
const exactFaultsSchema = z.array(exactFaultSchema);

function parseFaults(text: string): ExactFault[] | string {
  try {
    const parsed = exactFaultsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Local extension: breaks exactly the calls named (by request id and occurrence, or slot and
 * occurrence), each once, while the action runs. A replay or a shrunk candidate executes a recorded
 * schedule's API faults with it: unlike a percentage, it breaks the same calls whatever else runs.
 */
export const localApiExactFault: FisAction = {
  id: 'local:api:exact-fault',
  description: 'Local extension. Injects each given fault on exactly the call it names (request id or slot, operation, occurrence), once.',
  parameters: {
    faults: {
      description: 'JSON array of {service, operation, fault, match: {requestId?, imageId?, slot?, occurrence}, afterMs?}.',
      required: true,
      check: (v) => {
        const parsed = parseFaults(v);
        return typeof parsed === 'string' ? `faults: ${parsed}` : undefined;
      },
    },
    duration: durationParameter('How long the faults stay armed.'),
  },
  targets: { Roles: { resourceType: 'aws:iam:role' } },
  run: async (context) => {
    const durationMs = requireIsoDuration(context.parameters.duration, 'duration');
    const faults = parseFaults(context.parameters.faults) as ExactFault[];
    const startedAt = context.clock.now();
    const expiresAt = startedAt + durationMs;
    const rules: FaultRule[] = faults.map((f, i) => ({
      id: `exact/${context.actionName}/${i + 1}`,
      service: f.service,
      operations: [f.operation],
      percentage: 100,
      fault: f.fault,
      match: f.afterMs !== undefined ? { ...f.match, notBefore: startedAt + f.afterMs } : f.match,
      expiresAt,
      source: context.source,
    }));
    const roles = context.targets.Roles.map((role) => role.id as InstanceRole);
    const { apiFaults } = context.controlPlane;
    context.onEnd(() => apiFaults.clear(context.source));
    await apiFaults.set(context.source, rules, roles);
    context.log(`${rules.length} exact fault(s) armed for roles ${roles.join(',')} (${durationMs} ms)`);
    await context.hold(durationMs);
  },
};
