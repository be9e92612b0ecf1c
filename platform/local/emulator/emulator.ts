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
  // The three start at once (each a python process importing moto: most of a second of a core).
  const settled = await Promise.allSettled(
    SERVICES.map((service) =>
      startMotoServer({
        host: options.host,
        port: service === 'dynamodb' ? options.port : 0,
        logName: options.logPrefix && `${options.logPrefix}-${service}`,
        variant: 'lean',
      }),
    ),
  );
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((s) => s.stop()));
  };
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [dynamodb, s3, sqs] = started;
  return { endpoints: { dynamodb: dynamodb.endpoint, s3: s3.endpoint, sqs: sqs.endpoint }, servers: { dynamodb, s3, sqs }, stop };
}
