import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document at /docs-json and its page at /docs (operational routes). */
export function setupOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Imagery')
      .setDescription(
        'Create an image process, upload an image, a worker turns it sepia, view it. Every error is JSON ' +
          '`{statusCode, error, message}`; `error` is one of the codes listed on each response. Any route may ' +
          'also answer 405 (`method_not_allowed`, with `Allow`) to a method it does not take. Every response ' +
          "carries `x-request-id` (the client's, or a new one).",
      )
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
