import { startLocalPlatform } from './platform/local-platform';

/** `npm start`: the whole platform on this machine, until Ctrl-C. */
async function main(): Promise<void> {
  const env = process.env;
  const num = (name: string, fallback: number) => Number(env[name] ?? fallback);
  const apiCount = num('API_COUNT', 2);
  const workerCount = num('WORKER_COUNT', 2);
  const workerPort = num('WORKER_HTTP_PORT', 8081);
  const emulatorPort = num('EMULATOR_PORT', 4566);
  // Fixed ports, so URLs stay the same from run to run: worker-k on WORKER_HTTP_PORT+k-1,
  // api-k on 8100+k behind its Toxiproxy proxy on 8200+k, the AWS proxies right after the emulator.
  const range = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);
  const platform = await startLocalPlatform({
    host: env.HOST ?? '127.0.0.1',
    apiPort: num('PORT', 8080),
    workerPort,
    emulatorPort,
    stackName: env.STACK_NAME ?? 'imagery-local',
    apiCount,
    workerCount,
    chaosSeed: num('CHAOS_SEED', 1),
    replaceAfterMs: num('REPLACE_AFTER_MS', 2_000),
    ports: {
      toxiproxy: num('TOXIPROXY_PORT', 8474),
      haproxyStats: num('HAPROXY_STATS_PORT', 8404),
      dynamodbProxy: emulatorPort + 1,
      s3Proxy: emulatorPort + 2,
      sqsProxy: emulatorPort + 3,
      apiInstances: range(8101, apiCount),
      apiProxies: range(8201, apiCount),
      workerInstances: range(workerPort, workerCount),
    },
  });
  const plane = platform.controlPlane;
  console.log(`\nImagery is up: ${platform.url}  (API docs: ${platform.url}/docs)`);
  console.log(`  Toxiproxy API:  ${platform.toxiproxyUrl}  (proxies: ${Object.entries(plane.proxies).map(([n, a]) => `${n} ${a}`).join(', ')})`);
  console.log(`  HAProxy stats:  ${plane.haproxy.statsUrl}`);
  console.log(`  AWS emulator:   ${platform.emulatorEndpoint}`);
  for (const i of plane.fleet.instances()) console.log(`  ${i.tags.Name.padEnd(9)} ${i.id} (AZ ${i.az}, pid ${i.pid}) ${i.baseUrl}`);
  // The FIS simulator, once it exists, is started here on platform.controlPlane and its URL printed.
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
