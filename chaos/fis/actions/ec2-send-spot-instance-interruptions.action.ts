import { requireIsoDuration } from '../iso-duration';
import type { FisAction } from './fis-action';
import { durationParameter } from './parameters';

/**
 * Interrupts the target spot instances: each gets EC2's two-minute notice (by default; AWS allows
 * PT2M to PT15M, the simulator shorter too, for short runs) on its metadata endpoint
 * (`spot/instance-action`), which the apps poll and answer by draining (SIGTERM to themselves);
 * when the notice runs out the instance is terminated if it is still there, and the fleet replaces
 * it like an auto-scaling group. The action completes when the notice has run out. Nothing to undo:
 * an interruption cannot be taken back.
 */
export const ec2SendSpotInstanceInterruptions: FisAction = {
  id: 'aws:ec2:send-spot-instance-interruptions',
  description: 'Sends the target spot instances an interruption notice, then terminates them when it runs out.',
  parameters: {
    durationBeforeInterruption: durationParameter('How long between the notice and the interruption (AWS: PT2M to PT15M).'),
  },
  targets: { SpotInstances: { resourceType: 'aws:ec2:spot-instance' } },
  run: async (context) => {
    const noticeMs = requireIsoDuration(context.parameters.durationBeforeInterruption, 'durationBeforeInterruption');
    for (const instance of context.targets.SpotInstances) {
      if (context.signal.aborted) return;
      context.log(`spot interruption notice to ${instance.id}: interrupted in ${noticeMs} ms`);
      await context.controlPlane.fleet.interruptSpot(instance.id, noticeMs);
    }
    await context.hold(noticeMs);
  },
};
