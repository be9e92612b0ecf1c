import { PlatformMetrics, PlatformOptions, httpMetricsMiddleware } from '@imagery/nest-platform';
import { ConsoleLogger, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json, text } from 'express';
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
    // The push daemon's content type is configurable: take every body of POST /sqs as text, parse it
    // in one place. Only there: the fault-control endpoint (PUT /_chaos/faults) takes JSON.
    const app = await NestFactory.create<NestExpressApplication>(module, { logger, bodyParser: false });
    app.use('/sqs', text({ type: () => true, limit: '256kb' }));
    app.use(json({ limit: '256kb' }));
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
