import { requireIsoDuration } from '../iso-duration';
import type { ActionContext, FisAction } from './fis-action';
import { durationParameter, enumParameter } from './parameters';

/**
 * Stops the target instances: an OS shutdown, as EC2's stop is (locally SIGTERM: the API drains,
 * the worker finishes its jobs, the process exits; the instance stays `stopped` with its id and
 * is not replaced). With `startInstancesAfterDuration` they boot again after that time — or as
 * soon as the action is stopped. Without it they stay stopped, as in FIS.
 */
export const ec2StopInstances: FisAction = {
  id: 'aws:ec2:stop-instances',
  description: 'Stops the target instances; with startInstancesAfterDuration, starts them again after that duration.',
  parameters: {
    startInstancesAfterDuration: durationParameter('How long before the stopped instances are started again.', false),
    completeIfInstancesTerminated: enumParameter(
      'Accepted for compatibility; locally the action completes either way.',
      ['true', 'false'],
      false,
    ),
  },
  targets: { Instances: { resourceType: 'aws:ec2:instance' } },
  run: async (context) => {
    const restartAfter = context.parameters.startInstancesAfterDuration;
    const { fleet } = context.controlPlane;
    const stopped: string[] = [];
    if (restartAfter !== undefined) {
      context.onEnd(async () => {
        for (const id of stopped) await startWhenCapacity(() => fleet.start(id), context);
      });
    }
    for (const instance of context.targets.Instances) {
      if (context.signal.aborted) break;
      stopped.push(instance.id);
      context.log(`stopping ${instance.id}`);
      await fleet.stop(instance.id);
    }
    if (restartAfter !== undefined) await context.hold(requireIsoDuration(restartAfter, 'startInstancesAfterDuration'));
  },
};

/** How long a restart keeps retrying while the zone has no capacity (an ICE action ending at the same moment). */
const CAPACITY_RETRY_MS = 30_000;

/**
 * StartInstances fails with InsufficientInstanceCapacity while the zone has none; when this action
 * and a capacity-error action on the same zone end together (AWS's power-interruption scenario),
 * the start is retried every second until capacity is back, rather than failing the experiment.
 */
async function startWhenCapacity(start: () => Promise<void>, context: ActionContext): Promise<void> {
  const deadline = context.clock.now() + CAPACITY_RETRY_MS;
  for (;;) {
    try {
      return await start();
    } catch (error) {
      if (!/InsufficientInstanceCapacity/.test((error as Error).message) || context.clock.now() >= deadline) throw error;
      context.log(`${(error as Error).message}; retrying`);
      await context.clock.sleep(1_000);
    }
  }
}
