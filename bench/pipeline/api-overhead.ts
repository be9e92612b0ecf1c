import { randomUUID } from 'node:crypto';
import { round2 } from '@imagery/kernel/stats';
import type { DirectClients } from './direct-clients';
import type { FixtureFile } from './emulator-rate';
import { BareHttpCpu, measureBareHttpCpu } from './bare-http-cpu';
import { AwsCallsServed, countFleetCalls } from './fleet-calls';
import { measureRoundTrips, RoundTripResult } from './round-trip';
import { measureSdkCallCpu, SdkCallCpu } from './sdk-call-cpu';
import type { Session } from './start-platform';

export interface ApiOverheadResult extends RoundTripResult {
  /** The API fleet's own AWS calls (background left out) per GET /image/:id it answered meanwhile: what a client's read costs. */
  readonly awsCallsPerRead: number;
  readonly fleetCalls: AwsCallsServed;
  readonly sdkCallCpu: SdkCallCpu;
  /** Node's bare HTTP server answering the same read at one API instance's share of the API load. */
  readonly bareHttpCpu: BareHttpCpu;
}

/**
 * The API's overhead over the adapter round trip it wraps: GET /image/:id on one running API
 * instance and through HAProxy beside DynamoDbImageTable.get, for a processed image (`imageId`) and
 * for one created here and left unprocessed; the fleet's metrics meanwhile give the AWS calls one read costs.
 * Then the CPU an AWS call costs through the SDK, per service, and one such read by plain HTTP (sdk-call-cpu.ts),
 * and what Node's own HTTP server spends serving the API's answer to that read at `perInstanceRate` (bare-http-cpu.ts).
 */
export async function measureApiOverhead(
  session: Session,
  clients: DirectClients,
  imageId: string,
  fixtures: readonly FixtureFile[],
  perInstanceRate: number,
  log: (line: string) => void,
): Promise<ApiOverheadResult> {
  const apiInstance = session.platform.controlPlane.fleet.instances().find((i) => i.role === 'api' && i.state === 'running');
  if (!apiInstance) throw new Error('no running API instance');
  const unprocessed = randomUUID();
  const put = await fetch(`${session.url}/image/${unprocessed}`, { method: 'PUT', headers: { Accept: 'application/json' } });
  if (put.status !== 201) throw new Error(`PUT /image/${unprocessed}: HTTP ${put.status}`);
  const calls = await countFleetCalls(session.platform.controlPlane.metrics);
  const roundTrips = await measureRoundTrips({
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
  const fleetCalls = await calls.stop();
  const awsCallsPerRead = round2((fleetCalls.foregroundByRole.api ?? 0) / Math.max(1, fleetCalls.imageReads));
  log(`AWS calls per GET /image/:id: ${awsCallsPerRead} (${fleetCalls.imageReads} reads, the API fleet's metrics)`);
  const sdkCallCpu = await measureSdkCallCpu(clients.direct, imageId, fixtures);
  const { dynamodb, s3, sqs } = sdkCallCpu.perCallMs;
  log(
    `CPU per AWS call in this process, through the SDK (the adapters): DynamoDB read ${dynamodb} core-ms ` +
      `(${sdkCallCpu.plainHttpMs} by plain HTTP), S3 ${s3}, SQS ${sqs} (${sdkCallCpu.calls} calls each)`,
  );
  const answer = await fetch(`${apiInstance.baseUrl}/image/${imageId}`, { headers: { Accept: 'application/json' } });
  if (answer.status !== 200) throw new Error(`GET /image/${imageId}: HTTP ${answer.status}`);
  const bareHttpCpu = await measureBareHttpCpu(await answer.text(), perInstanceRate);
  log(
    `CPU per request of a bare node:http server answering that read at ${bareHttpCpu.rate} req/s: ` +
      `${bareHttpCpu.perRequestMs} core-ms (${bareHttpCpu.requests} requests)`,
  );
  return { ...roundTrips, awsCallsPerRead, fleetCalls, sdkCallCpu, bareHttpCpu };
}
