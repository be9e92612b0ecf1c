import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { loadApiConfig } from './config/api-config';
import { createApiApp } from './create-api-app';
import { startOpsListener } from './http/ops-routes';

async function main(): Promise<void> {
  const config = loadApiConfig();
  const app = await createApiApp(config);
  await app.listen(config.PORT, config.HOST);
  const logger = app.get(Logger);
  logger.log(`api listening on http://${config.HOST}:${config.PORT}`, 'Main');
  if (config.OPS_PORT !== undefined) {
    const ops = await startOpsListener(app.getHttpServer(), app.getHttpAdapter().getInstance(), config.OPS_PORT, config.OPS_HOST);
    logger.log(`operational routes (/metrics, /docs, /health) on http://${config.OPS_HOST}:${ops.port}`, 'Main');
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
