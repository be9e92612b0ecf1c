import type { FisAction } from './fis-action';

/**
 * Terminates the target instances. Locally the fleet sends SIGTERM (the instance drains) and,
 * like an auto-scaling group, launches a replacement after its health-check grace. Nothing to
 * undo: the replacement is the recovery.
 */
export const ec2TerminateInstances: FisAction = {
  id: 'aws:ec2:terminate-instances',
  description: 'Terminates the target instances (the fleet, like an auto-scaling group, replaces them).',
  parameters: {},
  targets: { Instances: { resourceType: 'aws:ec2:instance' } },
  run: async (context) => {
    for (const instance of context.targets.Instances) {
      if (context.signal.aborted) return;
      context.log(`terminating ${instance.id}`);
      await context.controlPlane.fleet.terminate(instance.id);
    }
  },
};
