import type { AwsService } from '@imagery/aws-adapters';
import type { BareHttpCpu } from './bare-http-cpu';
import { round1, round2 } from '@imagery/kernel/stats';
import type { PipelinePhaseResult } from './pipeline-phase';
import type { SdkCallCpu } from './sdk-call-cpu';
import type { SharpRateResult } from './sharp-rate';

/**
 * What a CPU row would read if the platform's own code cost nothing: the parts it is built from alone,
 * each measured in the same run — sharp's work on the images, the AWS SDK's CPU per call (sdk-call-cpu.ts)
 * times the calls the fleet made, the emulator's and the proxies' CPU, Node's own HTTP serving (the API's
 * row). Between a floor and its target is all the platform's own code (framework, middleware, logging,
 * metrics, polling loops) may spend; a
 * floor past its target puts the target out of reach with these parts on this machine. The SDK's cost is
 * taken in the bench process, one call at a time on a quiet machine: under load a call costs no less.
 */
export interface Floor {
  readonly value: number;
  readonly detail: string;
}

const SERVICES: readonly AwsService[] = ['dynamodb', 's3', 'sqs'];

/** The whole platform's CPU per image, at the phase that priced it (cpu-budget.ts capacityPhase). */
export function platformFloor(phase: PipelinePhaseResult, sharp: SharpRateResult, sdk: SdkCallCpu): Floor | undefined {
  const calls = sdkCallsPerImage(phase, sdk, Object.keys(phase.awsCalls?.byRoleService ?? {}));
  if (!calls) return undefined;
  const perImage = (coreSeconds: number) => round1((1000 * coreSeconds) / Math.max(1, phase.processed));
  const { moto, toxiproxy, haproxy } = phase.cpu.seconds;
  const parts = {
    sharp: sharp.pipeline.cpuMsPerImage,
    sdk: calls.coreMs,
    moto: perImage(moto),
    toxiproxy: perImage(toxiproxy),
    haproxy: perImage(haproxy),
  };
  const value = round1(Object.values(parts).reduce((a, b) => a + b, 0));
  return {
    value,
    detail:
      `${value} core-ms = sharp's inspect + sepia ${parts.sharp} + ${calls.describe} + the emulator ${parts.moto} ` +
      `+ Toxiproxy ${parts.toxiproxy} + HAProxy ${parts.haproxy} (${phase.name})`,
  };
}

/**
 * The pipeline rate's bound (a "floor" of a ">=" row is a ceiling): every core busy with the platform at
 * its floor per image, the load generator free. Below the target, no code of the platform's reaches it.
 */
export function pipelineRateCeiling(platform: Floor | undefined, cores: number): Floor | undefined {
  if (!platform) return undefined;
  return {
    value: round1((cores * 1000) / platform.value),
    detail: `${cores * 1000} core-ms/s (${cores} cores) ÷ the platform's floor, ${platform.value} core-ms per image (CPU per image row)`,
  };
}

/** The platform's floor over sharp's inspect + sepia. */
export function platformOverSharpFloor(platform: Floor | undefined, sharp: SharpRateResult): Floor | undefined {
  if (!platform) return undefined;
  return { value: round2(platform.value / sharp.pipeline.cpuMsPerImage), detail: `${platform.value} ÷ ${sharp.pipeline.cpuMsPerImage}` };
}

/** The worker's CPU per image over sharp's sepia: the sepia itself and the SDK's cost of the worker's calls. */
export function workerOverSepiaFloor(phase: PipelinePhaseResult, sharp: SharpRateResult, sdk: SdkCallCpu): Floor | undefined {
  const calls = sdkCallsPerImage(phase, sdk, ['worker']);
  if (!calls) return undefined;
  const sepia = sharp.sepia.cpuMsPerImage;
  return {
    value: round2((sepia + calls.coreMs) / sepia),
    detail: `(sepia ${sepia} + ${calls.describe}) ÷ sepia ${sepia} (${phase.name})`,
  };
}

/**
 * The API's CPU per request: the DynamoDB calls each request makes, at the SDK's cost, and Node's own
 * HTTP server answering it (a bare node:http server: no framework, middleware or logging).
 */
export function apiPerRequestFloor(awsCallsPerRead: number, sdk: SdkCallCpu, http: BareHttpCpu): Floor {
  const ms = sdk.perCallMs.dynamodb;
  return {
    value: round2(awsCallsPerRead * ms + http.perRequestMs),
    detail:
      `${awsCallsPerRead} DynamoDB call per request (a read's, the fleet's metrics) × ${ms} core-ms through the SDK ` +
      `+ ${http.perRequestMs} core-ms for a bare node:http server to answer it (at ${http.rate} req/s)`,
  };
}

/** The SDK's CPU per image for the calls `roles` made in the phase (background included: they are made all the same). */
function sdkCallsPerImage(
  phase: PipelinePhaseResult,
  sdk: SdkCallCpu,
  roles: readonly string[],
): { coreMs: number; describe: string } | undefined {
  const byRoleService = phase.awsCalls?.byRoleService;
  if (!byRoleService || phase.processed === 0) return undefined;
  const perImage = SERVICES.map((service) => ({
    service,
    calls: roles.reduce((n, role) => n + (byRoleService[role]?.[service] ?? 0), 0) / phase.processed,
  }));
  const coreMs = round1(perImage.reduce((ms, s) => ms + s.calls * sdk.perCallMs[s.service], 0));
  const terms = perImage.filter((s) => s.calls > 0).map((s) => `${round1(s.calls)} ${s.service} × ${sdk.perCallMs[s.service]}`);
  return { coreMs, describe: `the SDK's ${coreMs} (calls per image × core-ms per call: ${terms.join(', ')})` };
}
