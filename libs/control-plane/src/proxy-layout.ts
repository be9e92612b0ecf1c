import type { AwsService } from '@imagery/aws-adapters';

/** One Toxiproxy proxy: clients connect to `listen`, Toxiproxy connects on to `upstream`. */
export interface ProxySpec {
  readonly name: string;
  /** host:port; port 0 lets Toxiproxy pick one (read the real address back from the server). */
  readonly listen: string;
  readonly upstream: string;
}

export const AWS_SERVICES: readonly AwsService[] = ['dynamodb', 's3', 'sqs'];

/** One proxy per API slot (`api-1` → the slot's port), which HAProxy targets instead of the instance. */
export function apiProxies(
  host: string,
  slots: ReadonlyArray<{ readonly name: string; readonly port: number; readonly proxyPort?: number }>,
): ProxySpec[] {
  return slots.map((slot) => ({ name: slot.name, listen: `${host}:${slot.proxyPort ?? 0}`, upstream: `${host}:${slot.port}` }));
}

/** `http://` + a proxy's listen address: what an SDK endpoint or HAProxy server line points at. */
export const httpEndpoint = (listen: string): string => `http://${listen}`;
