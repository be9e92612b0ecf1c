import type { AvailabilityZone } from '@imagery/control-plane/control-plane';
import { AWS_SERVICES, apiProxies, httpEndpoint } from '@imagery/control-plane/proxy-layout';
import { zonalAwsProxies, zonalProxyName } from '@imagery/control-plane/zonal-proxies';
import { type EmulatorEndpoints, type LocalResources, resourcesToEnv } from '../emulator/data-stack';
import type { FleetSlot } from '../fleet/fleet-slot';
import { ToxiproxyNetwork } from '../toxiproxy/toxiproxy-network';
import type { ControlPlanePorts } from './ports';

export interface NetworkNeeds {
  readonly host: string;
  /** The AWS emulator's per-service endpoints the AWS proxies forward to, and the data stack deployed on it. */
  readonly emulatorEndpoints: EmulatorEndpoints;
  readonly resources: LocalResources;
  readonly ports: ControlPlanePorts;
  readonly apiSlots: readonly FleetSlot[];
}

export interface ChaosNetwork {
  readonly control: ToxiproxyNetwork;
  /** Each proxy's listen address (`dynamodb-a`, `api-1`, ...); a bare service name (`dynamodb`) is zone a's proxy. */
  readonly proxies: Readonly<Record<string, string>>;
  /** An instance's AWS settings in `zone`: through that zone's proxies. */
  readonly zoneEnv: (zone: AvailabilityZone) => Record<string, string>;
}

/** Toxiproxy's proxies: one per AWS service per zone, and one in front of each API slot (what HAProxy targets). */
export async function populateNetwork(toxiproxyUrl: string, needs: NetworkNeeds): Promise<ChaosNetwork> {
  const { host, ports } = needs;
  const control = new ToxiproxyNetwork(toxiproxyUrl);
  const awsPorts = { dynamodb: ports.dynamodbProxy, s3: ports.s3Proxy, sqs: ports.sqsProxy };
  const zonal = await control.populate([
    ...zonalAwsProxies(host, needs.emulatorEndpoints, awsPorts),
    ...apiProxies(
      host,
      needs.apiSlots.map((s, i) => ({ ...s, proxyPort: ports.apiProxies?.[i] })),
    ),
  ]);
  const proxies: Record<string, string> = {
    ...zonal,
    ...Object.fromEntries(AWS_SERVICES.map((service) => [service, zonal[zonalProxyName(service, 'a')]])),
  };
  // The SQS endpoint also re-roots the queue URLs (see resourcesToEnv); the others are overridden.
  const zoneEnv = (zone: AvailabilityZone) => ({
    ...resourcesToEnv(httpEndpoint(zonal[zonalProxyName('sqs', zone)]), needs.resources),
    AWS_ENDPOINT_URL_DYNAMODB: httpEndpoint(zonal[zonalProxyName('dynamodb', zone)]),
    AWS_ENDPOINT_URL_S3: httpEndpoint(zonal[zonalProxyName('s3', zone)]),
  });
  return { control, proxies, zoneEnv };
}
