import { PlatformMetrics, PlatformOptions, createRootLogger, httpMetricsMiddleware, platformLoggerModule } from '@imagery/nest-platform';
import { INestApplicationContext, LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json, text } from 'express';
import { Logger } from 'nestjs-pino';
import { WorkerConfig } from './config/worker-config';
import { WorkerModule } from './worker.module';

/**
 * A standalone Nest application context (no HTTP) unless an HTTP port is configured; either way
 * the consumer starts on init and stops gracefully on close (SIGTERM). `logger: false` silences
 * it (the test harness's quiet mode); logs are otherwise pino's JSON lines.
 */
export async function createWorkerApp(
  config: WorkerConfig,
  options: PlatformOptions = {},
  logger?: LoggerService | false,
): Promise<INestApplicationContext> {
  const root = createRootLogger(config, 'worker', { ...options, quiet: options.quiet ?? (logger === false && !options.logDestination) });
  @Module({ imports: [platformLoggerModule(root), WorkerModule.register(config, options)] })
  class WorkerRootModule {}
  if (config.WORKER_HTTP_PORT > 0) {
    // The push daemon's content type is configurable: take every body of POST /sqs as text, parse it
    // in one place. Only there: the fault-control endpoint (PUT /_chaos/faults) takes JSON.
    const app = await NestFactory.create<NestExpressApplication>(WorkerRootModule, { bufferLogs: true, bodyParser: false });
    app.useLogger(app.get(Logger));
    app.disable('x-powered-by');
    app.use('/sqs', text({ type: () => true, limit: '256kb' }));
    app.use(json({ limit: '256kb' }));
    app.use(httpMetricsMiddleware(app.get(PlatformMetrics)));
    app.enableShutdownHooks();
    await app.listen(config.WORKER_HTTP_PORT, config.HOST);
    // Said once bound: proof for whoever started it that this process, not another that took the port, serves there.
    app.get(Logger).log(`worker listening on http://${config.HOST}:${config.WORKER_HTTP_PORT}`, 'Main');
    return app;
  }
  const app = await NestFactory.createApplicationContext(WorkerRootModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  return app;
}
