import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json, urlencoded } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { ApiConfig, assertWritableDirectory } from './config/api-config';
import { ErrorResponseFilter } from './errors/error-response.filter';
import { opsRoutesOnlyOnOpsListener } from './http/ops-routes';
import { staticAssets } from './http/static-assets';
import { setupOpenApi } from './openapi';
import {
  PlatformMetrics,
  PlatformOptions,
  createRootLogger,
  httpMetricsMiddleware,
  requestContextMiddleware,
} from '@imagery/nest-platform';

/**
 * The API application, configured but not listening: main.ts and the e2e tests both start it.
 * `logger: false` silences it (the test harness's quiet mode); logs are otherwise pino's JSON lines.
 */
export async function createApiApp(
  config: ApiConfig,
  options: PlatformOptions = {},
  logger?: LoggerService | false,
): Promise<NestExpressApplication> {
  assertWritableDirectory('UPLOAD_SPOOL_DIR', config.UPLOAD_SPOOL_DIR);
  const root = createRootLogger(config, 'api', { ...options, quiet: options.quiet ?? (logger === false && !options.logDestination) });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, options, root), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // processed images are presigned S3 URLs, on another origin
          'img-src': ["'self'", 'data:', 'blob:', 'http:', 'https:'],
          // the ALB may be plain HTTP; upgrading would break every subresource there
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  // Body parsers first: they call `next` from stream events, and the request context must wrap what follows.
  app.use(json({ limit: '100kb' }));
  app.use(urlencoded({ extended: false, limit: '100kb' }));
  app.use(requestContextMiddleware);
  app.use(httpMetricsMiddleware(app.get(PlatformMetrics)));
  if (config.OPS_PORT !== undefined) app.use(opsRoutesOnlyOnOpsListener);
  app.useGlobalFilters(new ErrorResponseFilter());
  app.use(staticAssets(join(__dirname, '..', 'public')));
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
