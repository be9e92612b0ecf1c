import { MotoServer, startMotoServer } from './moto-server';
import type { EmulatorEndpoints } from './data-stack';

/** The local AWS: one lean moto process per service the apps use, each on its own port. */
export interface Emulator {
  readonly endpoints: EmulatorEndpoints;
  readonly servers: Readonly<Record<keyof EmulatorEndpoints, MotoServer>>;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  readonly host?: string;
  /** DynamoDB's port (npm start's well-known one); 0 or absent: free. S3's and SQS's are always free. */
  readonly port?: number;
  /** Logs are .run/<logPrefix>-<service>.log; default .run/moto-<port>.log, one per process. */
  readonly logPrefix?: string;
}

const SERVICES = ['dynamodb', 's3', 'sqs'] as const;

/**
 * One moto process cannot use more than one core (the GIL), and the pipeline's calls spread over
 * three services: one process each lets them run on both cores. Every process gets the whole data
 * stack (deployDataStack deploys it to each), and the SDK's per-service endpoints send each
 * service's calls to its own process. A process that fails to start stops the ones already up.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const started: MotoServer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((s) => s.stop()));
  };
  try {
    const servers = {} as Record<keyof EmulatorEndpoints, MotoServer>;
    for (const service of SERVICES) {
      const server = await startMotoServer({
        host: options.host,
        port: service === 'dynamodb' ? options.port : 0,
        logName: options.logPrefix && `${options.logPrefix}-${service}`,
        variant: 'lean',
      });
      started.push(server);
      servers[service] = server;
    }
    const endpoints = { dynamodb: servers.dynamodb.endpoint, s3: servers.s3.endpoint, sqs: servers.sqs.endpoint };
    return { endpoints, servers, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
