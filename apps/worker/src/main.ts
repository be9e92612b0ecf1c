import 'reflect-metadata';
import { loadWorkerConfig } from './config/worker-config';
import { createWorkerApp } from './create-worker-app';

createWorkerApp(loadWorkerConfig()).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
