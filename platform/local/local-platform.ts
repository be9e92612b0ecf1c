import { LocalControlPlane, LocalControlPlaneOptions, startLocalControlPlane } from './control-plane';
import { EmulatorEndpoints, LocalResources, deployDataStackToEmulator } from './emulator/data-stack';
import { Emulator, startEmulator } from './emulator/emulator';
import { retryOnBindFailure } from '@imagery/kernel/retry-on-bind-failure';

/** The fleet and topology knobs are the control plane's own (fleet size, ports, grace, seed, env, quiet). */
export interface LocalPlatformOptions extends Pick<
  LocalControlPlaneOptions,
  'apiCount' | 'workerCount' | 'ports' | 'replaceAfterMs' | 'chaosSeed' | 'roleEnv' | 'quiet'
> {
  /** HAProxy's port: the platform URL. 0: a free port (picked again if taken before it is bound). */
  readonly apiPort: number;
  /** worker-1's HTTP port (health, metrics, fault control), 0 for a free one; other workers' come from `ports` or are free. */
  readonly workerPort: number;
  /** The emulator's DynamoDB process; 0: a free port, as for apiPort (its S3 and SQS processes always take free ones). */
  readonly emulatorPort: number;
  readonly host: string;
  readonly stackName: string;
}

export interface LocalPlatform {
  /** HAProxy, in front of the API fleet. */
  readonly url: string;
  /** The emulator's processes, one per service. */
  readonly emulatorEndpoints: EmulatorEndpoints;
  /** The deployed data stack (table, bucket, queues), e.g. for a checker reading the final state. */
  readonly resources: LocalResources;
  /** Fleet, network, API faults, metrics: what the FIS simulator drives. */
  readonly controlPlane: LocalControlPlane;
  stop(): Promise<void>;
}

/**
 * The embedded platform: the AWS emulator, the data resources deployed from infra/data.yaml
 * through its CloudFormation API, then the chaos topology on top (platform/local/control-plane.ts):
 * Toxiproxy, the API and worker fleet with chaos mode on, and HAProxy as the load balancer.
 */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  let emulator: Emulator | undefined;
  let controlPlane: LocalControlPlane | undefined;
  const stop = async () => {
    await controlPlane?.stop();
    await emulator?.stop();
  };
  try {
    const log = options.quiet ? () => undefined : console.log;
    log(`starting the AWS emulator (moto: DynamoDB on ${options.host}:${options.emulatorPort}, S3, SQS)`);
    emulator = await startEmulator({ host: options.host, port: options.emulatorPort });
    const emulatorEndpoints = emulator.endpoints;
    log(`deploying infra/data.yaml as stack ${options.stackName}`);
    const resources = await deployDataStackToEmulator(emulatorEndpoints, { stackName: options.stackName });
    log(`starting Toxiproxy, ${options.apiCount ?? 2} API instance(s), ${options.workerCount ?? 2} worker(s) and HAProxy`);
    const planeOptions = controlPlaneOptions(options, emulatorEndpoints, resources, log);
    controlPlane = await retryOnBindFailure(() => startLocalControlPlane(planeOptions), log);
    return { url: controlPlane.url, emulatorEndpoints, resources, controlPlane, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The platform's ports and fleet knobs as the control plane takes them: HAProxy on apiPort, worker-1 on workerPort. */
function controlPlaneOptions(
  options: LocalPlatformOptions,
  emulatorEndpoints: EmulatorEndpoints,
  resources: LocalResources,
  log: (line: string) => void,
): LocalControlPlaneOptions {
  const ports = options.ports ?? {};
  return {
    host: options.host,
    emulatorEndpoints,
    resources,
    apiCount: options.apiCount,
    workerCount: options.workerCount,
    ports: {
      ...ports,
      loadBalancer: options.apiPort || undefined,
      workerInstances: ports.workerInstances ?? (options.workerPort ? [options.workerPort] : undefined),
    },
    replaceAfterMs: options.replaceAfterMs,
    chaosSeed: options.chaosSeed,
    roleEnv: options.roleEnv,
    quiet: options.quiet,
    log,
  };
}
