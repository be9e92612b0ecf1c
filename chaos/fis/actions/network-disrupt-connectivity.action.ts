import type { AvailabilityZone, ControlPlane } from '@imagery/control-plane/control-plane';
import { zoneServiceProxies } from '@imagery/control-plane/zonal-proxies';
import { requireIsoDuration } from '../iso-duration';
import type { FisAction } from './fis-action';
import type { LocalResource } from '../targets/local-resources';
import { durationParameter, enumParameter, splitList } from './parameters';

const SCOPES = ['all', 'availability-zone', 'dynamodb', 's3'] as const;

/**
 * Cuts network connectivity of the target subnets for `duration`, as AWS's network ACL does. Each
 * local zone has its own Toxiproxy proxies for the AWS services (`dynamodb-a`, ...), and each API
 * slot its proxy behind the load balancer, so a zone is cut alone:
 *   - `all`: the zone's AWS proxies and the load balancer's way to the zone's API instances;
 *   - `availability-zone` (AWS: traffic to and from the other zones): the load balancer's way to
 *     the zone's API instances, the only cross-zone traffic here (the AWS services are regional);
 *   - `dynamodb` / `s3`: that service's proxy in the zone.
 * The local extension `proxies` names proxies directly (`sqs`, for which AWS has no scope, means
 * every zone's sqs proxy) and then replaces scope and subnets. AWS's `prefix-list` scope has no
 * local meaning and is refused at validation.
 */
export const networkDisruptConnectivity: FisAction = {
  id: 'aws:network:disrupt-connectivity',
  description: "Denies the target subnets' traffic of the scope (all, availability-zone, dynamodb, s3) for the duration.",
  parameters: {
    duration: durationParameter('How long connectivity is cut.'),
    scope: enumParameter('Which traffic to deny (all by default).', SCOPES, false),
    proxies: {
      description:
        'Local extension: comma-separated Toxiproxy proxy names to cut (sqs, dynamodb-a, api-1, ...); overrides scope and subnets.',
      required: false,
      check: (v) => (splitList(v).length > 0 ? undefined : 'proxies must name at least one proxy'),
    },
  },
  targets: { Subnets: { resourceType: 'aws:ec2:subnet' } },
  run: async (context) => {
    const { network } = context.controlPlane;
    const durationMs = requireIsoDuration(context.parameters.duration, 'duration');
    const proxies = proxiesToCut(context.parameters, context.targets.Subnets, context.controlPlane);
    const cut: string[] = [];
    context.onEnd(async () => {
      for (const proxy of cut) await network.setEnabled(proxy, true);
    });
    for (const proxy of proxies) {
      cut.push(proxy);
      await network.setEnabled(proxy, false);
    }
    context.log(`proxies down: ${proxies.join(', ') || '(none)'} (${durationMs} ms)`);
    await context.hold(durationMs);
  },
};

/** The zone of each subnet (`subnet-a` → a). */
export const subnetZones = (subnets: readonly LocalResource[]): AvailabilityZone[] =>
  [...new Set(subnets.map((s) => s.tags.AZ as AvailabilityZone))].sort();

/** The proxies of the API slots whose instance runs in one of `zones` now (the load balancer's way to them). */
export const apiProxiesIn = (zones: readonly AvailabilityZone[], controlPlane: ControlPlane): string[] =>
  controlPlane.fleet
    .instances()
    .filter((i) => i.role === 'api' && zones.includes(i.az) && i.state !== 'terminated')
    .map((i) => i.tags.Name)
    .sort();

function proxiesToCut(
  parameters: Readonly<Record<string, string>>,
  subnets: readonly LocalResource[],
  controlPlane: ControlPlane,
): string[] {
  if (parameters.proxies !== undefined) return splitList(parameters.proxies);
  const zones = subnetZones(subnets);
  const scope = parameters.scope ?? 'all';
  if (scope === 'availability-zone') return apiProxiesIn(zones, controlPlane);
  if (scope === 'all') return [...zones.flatMap((zone) => zoneServiceProxies(zone)), ...apiProxiesIn(zones, controlPlane)];
  return zones.flatMap((zone) => zoneServiceProxies(zone, [scope]));
}
