import { PlatformMetrics, PlatformOptions, httpMetricsMiddleware } from '@imagery/nest-platform';
import { ConsoleLogger, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerConfig } from './config/worker-config';
import { WorkerModule } from './worker.module';

/**
 * A standalone Nest application context (no HTTP) unless an HTTP port is configured; either way
 * the consumer starts on init and stops gracefully on close (SIGTERM).
 */
export async function createWorkerApp(
  config: WorkerConfig,
  options: PlatformOptions = {},
  logger = new ConsoleLogger({ json: process.env.LOG_FORMAT === 'json' }),
): Promise<INestApplicationContext> {
  const module = WorkerModule.register(config, options);
  if (config.WORKER_HTTP_PORT > 0) {
    const app = await NestFactory.create(module, { logger, rawBody: true });
    app.use(httpMetricsMiddleware(app.get(PlatformMetrics)));
    app.enableShutdownHooks();
    await app.listen(config.WORKER_HTTP_PORT, config.HOST);
    return app;
  }
  const app = await NestFactory.createApplicationContext(module, { logger });
  app.enableShutdownHooks();
  await app.init();
  return app;
}
