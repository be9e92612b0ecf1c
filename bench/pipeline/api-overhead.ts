import { randomUUID } from 'node:crypto';
import type { DirectClients } from './direct-clients';
import { measureRoundTrips, RoundTripResult } from './round-trip';
import type { Session } from './start-platform';

/**
 * The API's overhead over the adapter round trip it wraps: GET /image/:id on one running API
 * instance and through HAProxy beside DynamoDbImageTable.get, for a processed image (`imageId`) and
 * for one created here and left unprocessed.
 */
export async function measureApiOverhead(
  session: Session,
  clients: DirectClients,
  imageId: string,
  log: (line: string) => void,
): Promise<RoundTripResult> {
  const apiInstance = session.platform.controlPlane.fleet.instances().find((i) => i.role === 'api' && i.state === 'running');
  if (!apiInstance) throw new Error('no running API instance');
  const unprocessed = randomUUID();
  const put = await fetch(`${session.url}/image/${unprocessed}`, { method: 'PUT', headers: { Accept: 'application/json' } });
  if (put.status !== 201) throw new Error(`PUT /image/${unprocessed}: HTTP ${put.status}`);
  return measureRoundTrips({
    imageId,
    unprocessedImageId: unprocessed,
    adapter: clients.direct.table,
    adapterViaProxy: clients.viaProxy.table,
    apiDirectUrl: apiInstance.baseUrl,
    haproxyUrl: session.url,
    rounds: 300,
    warmup: 30,
    log,
  });
}
