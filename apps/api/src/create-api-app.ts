import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { ApiConfig } from './config/api-config';
import { ErrorResponseFilter } from './errors/error-response.filter';
import { PlatformMetrics, PlatformOptions, httpMetricsMiddleware } from '@imagery/nest-platform';

/** The API application, configured but not listening: main.ts and the e2e tests both start it. */
export async function createApiApp(config: ApiConfig, options: PlatformOptions = {}, logger = new ConsoleLogger({ json: process.env.LOG_FORMAT === 'json' })): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, options), { logger, bodyParser: true });
  app.use(httpMetricsMiddleware(app.get(PlatformMetrics)));
  app.useGlobalFilters(new ErrorResponseFilter());
  app.useStaticAssets(join(__dirname, '..', 'public'), { index: 'index.html' });
  app.set('trust proxy', 'loopback');
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Imagery')
      .setDescription('Create an image process, upload an image, a worker turns it sepia, view it.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  app.enableShutdownHooks();
  return app;
}
