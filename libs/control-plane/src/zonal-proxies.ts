import type { AwsService } from '@imagery/aws-adapters';
import type { AvailabilityZone } from './control-plane';
import { AWS_SERVICES, ProxySpec } from './proxy-layout';

export const ZONES: readonly AvailabilityZone[] = ['a', 'b'];

/** `dynamodb-a`: the proxy through which instances in zone a reach DynamoDB. */
export const zonalProxyName = (service: string, zone: AvailabilityZone): string => `${service}-${zone}`;

/** The AWS service proxies of one zone: what `aws:network:disrupt-connectivity` cuts for that zone's subnet. */
export const zoneServiceProxies = (zone: AvailabilityZone, services: readonly string[] = AWS_SERVICES): string[] =>
  services.map((service) => zonalProxyName(service, zone));

/**
 * One proxy per AWS service *per zone* in front of the emulator, so one zone's network can be cut
 * or slowed while the other's works, as a subnet's can in a VPC. Each service's proxies forward to
 * that service's emulator endpoint. Zone a takes the fixed ports given (npm start's well-known
 * ones); zone b's are picked free.
 */
export function zonalAwsProxies(
  host: string,
  emulatorEndpoints: Readonly<Record<AwsService, string>>,
  ports: Partial<Record<AwsService, number>> = {},
): ProxySpec[] {
  return ZONES.flatMap((zone) =>
    AWS_SERVICES.map((service) => ({
      name: zonalProxyName(service, zone),
      listen: `${host}:${(zone === 'a' && ports[service]) || 0}`,
      upstream: new URL(emulatorEndpoints[service]).host,
    })),
  );
}

/**
 * A name as NetworkControl callers give it → the proxies it means: itself if such a proxy exists,
 * else a service's proxy in every zone (`dynamodb` → `dynamodb-a`, `dynamodb-b`), so templates
 * written before the zones (`proxy: dynamodb`) keep hitting the whole fleet. An unknown name is
 * returned as is, for the caller's "no proxy named" error.
 */
export function expandProxyName(name: string, all: readonly string[]): string[] {
  if (all.includes(name)) return [name];
  const zonal = ZONES.map((zone) => zonalProxyName(name, zone)).filter((p) => all.includes(p));
  return zonal.length > 0 ? zonal : [name];
}
