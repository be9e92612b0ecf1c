import type { FisAction } from './fis-action';

/**
 * Terminates the target instances. Locally, as EC2 does to the processes of an instance, the
 * fleet SIGKILLs them: no drain, a job or a request in flight is cut mid-way. Like an
 * auto-scaling group it launches a replacement after its health-check grace. Nothing to undo:
 * the replacement is the recovery.
 */
export const ec2TerminateInstances: FisAction = {
  id: 'aws:ec2:terminate-instances',
  description: 'Terminates the target instances (a hard crash: no drain); the fleet, like an auto-scaling group, replaces them.',
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
