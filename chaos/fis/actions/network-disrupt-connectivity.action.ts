import { requireIsoDuration } from '../iso-duration';
import type { FisAction } from './fis-action';
import { durationParameter, enumParameter, splitList } from './parameters';

/** AWS scope → the local Toxiproxy proxies it cuts (`all` is every proxy, the API instances' too). */
const SCOPE_PROXIES: Record<string, readonly string[] | 'all'> = { all: 'all', dynamodb: ['dynamodb'], s3: ['s3'] };

/**
 * Cuts network connectivity for `duration`. In AWS it denies traffic in the target subnets by
 * scope (all, dynamodb, s3, ...). Locally each service has one Toxiproxy proxy shared by the
 * whole fleet, so the proxies of the scope are disabled (connections refused) whichever subnet
 * was selected, then re-enabled. The local extension parameter `proxies` names the proxies
 * directly (e.g. `sqs`, for which AWS has no scope) and takes precedence over `scope`.
 */
export const networkDisruptConnectivity: FisAction = {
  id: 'aws:network:disrupt-connectivity',
  description: 'Disables the Toxiproxy proxies of the scope (or the named proxies) for the duration, then enables them again.',
  parameters: {
    duration: durationParameter('How long connectivity is cut.'),
    scope: enumParameter('Which traffic to cut (AWS scopes availability-zone and prefix-list have no local meaning).', Object.keys(SCOPE_PROXIES), false),
    proxies: {
      description: 'Local extension: comma-separated Toxiproxy proxy names to cut (dynamodb, s3, sqs, api-1, ...); overrides scope.',
      required: false,
      check: (v) => (splitList(v).length > 0 ? undefined : 'proxies must name at least one proxy'),
    },
  },
  targets: { Subnets: { resourceType: 'aws:ec2:subnet' } },
  run: async (context) => {
    const { network } = context.controlPlane;
    const durationMs = requireIsoDuration(context.parameters.duration, 'duration');
    const proxies = await proxiesToCut(context.parameters, () => network.proxies());
    const cut: string[] = [];
    context.onEnd(async () => {
      for (const proxy of cut) await network.setEnabled(proxy, true);
    });
    for (const proxy of proxies) {
      cut.push(proxy);
      await network.setEnabled(proxy, false);
    }
    context.log(`proxies down: ${proxies.join(', ')} (${durationMs} ms)`);
    await context.hold(durationMs);
  },
};

async function proxiesToCut(parameters: Readonly<Record<string, string>>, all: () => Promise<string[]>): Promise<string[]> {
  if (parameters.proxies !== undefined) return splitList(parameters.proxies);
  const scope = SCOPE_PROXIES[parameters.scope ?? 'all'];
  return scope === 'all' ? all() : [...scope];
}
