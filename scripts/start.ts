import { startLocalPlatform } from './platform/local-platform';

/** `npm start`: the whole platform on this machine, until Ctrl-C. */
async function main(): Promise<void> {
  const env = process.env;
  const platform = await startLocalPlatform({
    host: env.HOST ?? '127.0.0.1',
    apiPort: Number(env.PORT ?? 8080),
    workerPort: Number(env.WORKER_HTTP_PORT ?? 8081),
    emulatorPort: Number(env.EMULATOR_PORT ?? 4566),
    stackName: env.STACK_NAME ?? 'imagery-local',
  });
  console.log(`\nImagery is up: ${platform.url}  (API docs: ${platform.url}/docs, AWS emulator: ${platform.emulatorEndpoint})`);
  console.log('Press Ctrl-C to stop.\n');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the platform`);
    platform.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // `npm start` does not forward SIGTERM when npm itself is killed: notice being orphaned.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && shutdown('parent exited'), 1_000).unref();
}

main().catch((err) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
