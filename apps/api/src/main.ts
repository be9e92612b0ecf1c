import 'reflect-metadata';
import { loadApiConfig } from './config/api-config';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const config = loadApiConfig();
  const app = await createApiApp(config);
  await app.listen(config.PORT, config.HOST);
  console.log(`api listening on http://${config.HOST}:${config.PORT}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
