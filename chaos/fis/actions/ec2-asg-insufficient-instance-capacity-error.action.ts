import type { AvailabilityZone } from '@imagery/control-plane/control-plane';
import { requireIsoDuration } from '../iso-duration';
import type { FisAction } from './fis-action';
import { durationParameter, numberParameter, splitList } from './parameters';

/** `us-east-1a`, `a`, or an AZ id ending in the zone's number (`use1-az1` → a, `use1-az2` → b). */
function zoneOf(identifier: string): AvailabilityZone | undefined {
  const name = /^(?:[a-z]{2}-[a-z]+-\d)?([ab])$/.exec(identifier)?.[1];
  if (name) return name as AvailabilityZone;
  const id = /^[a-z0-9]+-az([12])$/.exec(identifier)?.[1];
  return id === undefined ? undefined : id === '1' ? 'a' : 'b';
}

/**
 * Insufficient capacity in the given zones for the target auto-scaling groups' launches, for
 * `duration`: the fleet cannot launch (or start) an instance there, so a replacement goes to the
 * other zone as a multi-AZ group's would, or waits while no zone has capacity. Capacity comes back
 * when the action ends. Locally every launch in the zone fails (`percentage` is accepted; only 100
 * is meaningful for a fleet this small) and the zones' capacity is the whole fleet's.
 */
export const ec2AsgInsufficientInstanceCapacityError: FisAction = {
  id: 'aws:ec2:asg-insufficient-instance-capacity-error',
  description: 'Makes launches of the target auto-scaling groups fail in the given zones (InsufficientInstanceCapacity) for the duration.',
  parameters: {
    availabilityZoneIdentifiers: {
      description: 'Comma-separated zones: names (us-east-1a), letters (a, b) or ids (use1-az1).',
      required: true,
      check: (v) => {
        const bad = splitList(v).filter((z) => zoneOf(z) === undefined);
        return splitList(v).length === 0 || bad.length > 0 ? `"${v}" must name zones a or b (us-east-1a, a, use1-az1)` : undefined;
      },
    },
    duration: durationParameter('How long the zones have no capacity.'),
    percentage: numberParameter('Percentage of launches that fail (locally every launch in the zone fails).', 1, 100, false),
  },
  targets: { AutoScalingGroups: { resourceType: 'aws:ec2:autoscaling-group' } },
  run: async (context) => {
    const durationMs = requireIsoDuration(context.parameters.duration, 'duration');
    const zones = [...new Set(splitList(context.parameters.availabilityZoneIdentifiers).map((z) => zoneOf(z)!))];
    const { fleet } = context.controlPlane;
    context.onEnd(() => {
      for (const zone of zones) fleet.setZoneCapacity(zone, true);
      return Promise.resolve();
    });
    for (const zone of zones) fleet.setZoneCapacity(zone, false);
    context.log(
      `no capacity in zone(s) ${zones.join(', ')} for ${context.targets.AutoScalingGroups.map((g) => g.id).join(', ')} (${durationMs} ms)`,
    );
    await context.hold(durationMs);
  },
};
