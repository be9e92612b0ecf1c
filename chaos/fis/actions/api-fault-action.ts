import type { FaultRule, FaultSpec } from '@imagery/aws-adapters/faults/fault-rule';
import type { InstanceRole } from '@imagery/control-plane/control-plane';
import { requireIsoDuration } from '../iso-duration';
import type { ActionContext, FisAction, ParameterSpec } from './fis-action';
import { durationParameter, LocalApiService, numberParameter, operationsParameter, serviceParameter, splitList } from './parameters';

/**
 * The shape every API-layer fault action shares (the three aws:fis:inject-api-* and the local
 * ambiguous / crash-at): build one FaultRule from the parameters, push it to the instances of
 * the targeted roles for `duration`, then clear it. The rule carries `expiresAt` as a safety
 * net (an instance drops it by itself even if the clear never arrives) and `source` =
 * experiment id + action name, so clearing removes exactly this action's faults.
 */
export interface ApiFaultActionOptions {
  readonly id: string;
  readonly description: string;
  /** Parameters beyond service/operations/percentage/duration. */
  readonly extraParameters?: Readonly<Record<string, ParameterSpec>>;
  /** Overrides for the common ones (crash-at takes `operation`, and `nth` instead of `percentage`). */
  readonly commonParameters?: Readonly<Record<string, ParameterSpec>>;
  readonly validate?: FisAction['validate'];
  fault(parameters: Readonly<Record<string, string>>): FaultSpec;
  /** Which call(s) break: a percentage (the default) or the Nth call. */
  selection?(parameters: Readonly<Record<string, string>>): Pick<FaultRule, 'percentage' | 'nth'>;
  operations?(parameters: Readonly<Record<string, string>>): string[];
}

export function apiFaultAction(options: ApiFaultActionOptions): FisAction {
  return {
    id: options.id,
    description: options.description,
    parameters: {
      service: serviceParameter(),
      operations: operationsParameter(),
      percentage: numberParameter('Percentage of matching calls that fail (1-100); the choice is seeded.', 1, 100),
      duration: durationParameter('How long the fault lasts.'),
      ...options.commonParameters,
      ...options.extraParameters,
    },
    targets: { Roles: { resourceType: 'aws:iam:role' } },
    validate: options.validate,
    run: async (context) => {
      const durationMs = requireIsoDuration(context.parameters.duration, 'duration');
      const rule = buildRule(context, options, durationMs);
      const roles = context.targets.Roles.map((role) => role.id as InstanceRole);
      const { apiFaults } = context.controlPlane;
      context.onEnd(() => apiFaults.clear(context.source));
      await apiFaults.set(context.source, [rule], roles);
      context.log(`${rule.fault.kind} on ${rule.service}:${rule.operations.join(',')} for roles ${roles.join(',')} (${durationMs} ms)`);
      await context.hold(durationMs);
    },
  };
}

function buildRule(context: ActionContext, options: ApiFaultActionOptions, durationMs: number): FaultRule {
  const p = context.parameters;
  return {
    // The seed is in the id: instances seed each rule's decisions from its id, so the same
    // experiment seed gives the same sequence of failed calls.
    id: `fis/${context.actionName}/seed-${context.seed}`,
    service: p.service as LocalApiService,
    operations: options.operations ? options.operations(p) : splitList(p.operations),
    ...(options.selection ? options.selection(p) : { percentage: Number(p.percentage) }),
    fault: options.fault(p),
    expiresAt: context.clock.now() + durationMs,
    source: context.source,
  };
}
