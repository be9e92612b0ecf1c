import 'reflect-metadata';
import { PlatformOptions } from '@imagery/nest-platform';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { loadApiConfig } from '../../../apps/api/src/config/api-config';
import { createApiApp } from '../../../apps/api/src/create-api-app';
import { loadWorkerConfig } from '../../../apps/worker/src/config/worker-config';
import { createWorkerApp } from '../../../apps/worker/src/create-worker-app';

type Env = Record<string, string | undefined>;

/** Quiet unless a test run asks for logs (TEST_LOGS=1). */
const logger = (): Logger | false => (process.env.TEST_LOGS ? new Logger() : false);

export interface TestApi {
  readonly url: string;
  readonly app: NestExpressApplication;
  close(): Promise<void>;
}

/** The real API on a free loopback port, configured from the test emulator's env plus `overrides`. */
export async function startTestApi(overrides: Env = {}, options: PlatformOptions = {}): Promise<TestApi> {
  const config = loadApiConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', ...overrides });
  const app = await createApiApp(config, options, logger());
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, app, close: () => app.close() };
}

export interface TestWorker {
  readonly app: INestApplicationContext;
  close(): Promise<void>;
}

/** The real worker, with short polls and a fast repair sweep so tests do not wait on defaults. */
export async function startTestWorker(overrides: Env = {}, options: PlatformOptions = {}): Promise<TestWorker> {
  const config = loadWorkerConfig({
    ...process.env,
    RECEIVE_WAIT_SECONDS: '1',
    VISIBILITY_TIMEOUT_SECONDS: '10',
    REPAIR_INTERVAL_MS: '500',
    REPAIR_STUCK_AFTER_MS: '2000',
    WORKER_HTTP_PORT: '0',
    ...overrides,
  });
  const app = await createWorkerApp(config, options, logger());
  return { app, close: () => app.close() };
}
