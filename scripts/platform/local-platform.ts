import { join } from 'node:path';
import { deployDataStack, resourcesToEnv } from '../local-aws/data-stack';
import { MotoServer, startMotoServer } from '../local-aws/moto-server';
import { repoRoot } from '../local-aws/repo-root';
import { ManagedProcess } from './managed-process';
import { waitForHttp } from './wait-for-http';

export interface LocalPlatformOptions {
  readonly apiPort: number;
  readonly workerPort: number;
  readonly emulatorPort: number;
  readonly host: string;
  readonly stackName: string;
  /** Keep the apps' output off the console (tests). */
  readonly quiet?: boolean;
}

export interface LocalPlatform {
  readonly url: string;
  readonly emulatorEndpoint: string;
  stop(): Promise<void>;
}

/**
 * The embedded platform: the AWS emulator, the data resources deployed from infra/data.yaml
 * through its CloudFormation API, one API and one worker process.
 */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const started: Array<ManagedProcess> = [];
  let moto: MotoServer | undefined;
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop()));
    await moto?.stop();
  };
  try {
    const log = options.quiet ? () => undefined : console.log;
    log(`starting the AWS emulator (moto) on ${options.host}:${options.emulatorPort}`);
    moto = await startMotoServer({ host: options.host, port: options.emulatorPort });
    log(`deploying infra/data.yaml as stack ${options.stackName}`);
    const resources = await deployDataStack({ endpoint: moto.endpoint, stackName: options.stackName });
    const env = { ...resourcesToEnv(moto.endpoint, resources), HOST: options.host };
    const dist = join(repoRoot(), 'dist', 'apps');
    const onLine = options.quiet ? () => undefined : undefined;
    started.push(
      new ManagedProcess({ name: 'api', command: process.execPath, args: [join(dist, 'api/src/main.js')], env: { ...env, PORT: String(options.apiPort) }, onLine }),
      new ManagedProcess({
        name: 'worker',
        command: process.execPath,
        args: [join(dist, 'worker/src/main.js')],
        env: { ...env, WORKER_HTTP_PORT: String(options.workerPort) },
        onLine,
      }),
    );
    const url = `http://${options.host}:${options.apiPort}`;
    await Promise.all([waitForHttp(`${url}/health`), waitForHttp(`http://${options.host}:${options.workerPort}/health`)]);
    return { url, emulatorEndpoint: moto.endpoint, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
