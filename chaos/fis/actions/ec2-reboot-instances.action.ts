import type { FisAction } from './fis-action';

/**
 * Reboots the target instances: an OS reboot, as EC2's is (locally SIGTERM: the API drains, the
 * worker finishes its jobs; then the same instance boots again, same id, same slot). Not replaced:
 * the instance comes back by itself. Nothing to undo.
 */
export const ec2RebootInstances: FisAction = {
  id: 'aws:ec2:reboot-instances',
  description: 'Reboots the target instances (an OS shutdown and a new boot of the same instance).',
  parameters: {},
  targets: { Instances: { resourceType: 'aws:ec2:instance' } },
  run: async (context) => {
    for (const instance of context.targets.Instances) {
      if (context.signal.aborted) return;
      context.log(`rebooting ${instance.id}`);
      await context.controlPlane.fleet.reboot(instance.id);
    }
  },
};
