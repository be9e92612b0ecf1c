import { randomUUID } from 'node:crypto';
import { round2 } from '@imagery/kernel/stats';
import type { DirectClients } from './direct-clients';
import type { FixtureFile } from './emulator-rate';
import { AwsCallsServed, countFleetCalls } from './fleet-calls';
import { measureRoundTrips, RoundTripResult } from './round-trip';
import { measureSdkCallCpu, SdkCallCpu } from './sdk-call-cpu';
import type { Session } from './start-platform';

export interface ApiOverheadResult extends RoundTripResult {
  /** The API fleet's own AWS calls (background left out) per GET /image/:id it answered meanwhile: what a client's read costs. */
  readonly awsCallsPerRead: number;
  readonly fleetCalls: AwsCallsServed;
  readonly sdkCallCpu: SdkCallCpu;
}

/**
 * The API's overhead over the adapter round trip it wraps: GET /image/:id on one running API
 * instance and through HAProxy beside DynamoDbImageTable.get, for a processed image (`imageId`) and
 * for one created here and left unprocessed; the fleet's metrics meanwhile give the AWS calls one read costs.
 * Then the CPU an AWS call costs through the SDK, per service, and one such read by plain HTTP (sdk-call-cpu.ts).
 */
export async function measureApiOverhead(
  session: Session,
  clients: DirectClients,
  imageId: string,
  fixtures: readonly FixtureFile[],
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
  return { ...roundTrips, awsCallsPerRead, fleetCalls, sdkCallCpu };
}
