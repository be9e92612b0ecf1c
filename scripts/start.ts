import { startFisSimulator } from '../chaos/fis';
import { type StartPlatformOptions, startPlatformSession } from '../platform/local/session';

type Session = Awaited<ReturnType<typeof startPlatformSession>>;

/**
 * `npm start`: the whole platform on this machine until Ctrl-C — the emulator with the stack from
 * infra/data.yaml, Toxiproxy, the API and worker fleet (chaos mode on), HAProxy on :8080
 * (platform/local/), and the FIS simulator (chaos/fis) on its control plane. It publishes
 * .run/platform.json, where every other command (`npm run chaos`, `npm run dlq`) finds it
 * (platform/local/running-platform.ts).
 */
async function main(): Promise<void> {
  const session = await startPlatformSession(optionsFromEnv(process.env));
  printWhereItRuns(session);
  stopOnSignal(session);
}

/** Fixed ports, so URLs stay the same from run to run; each can be moved with its variable. */
function optionsFromEnv(env: NodeJS.ProcessEnv): StartPlatformOptions {
  const num = (name: string, fallback: number) => Number(env[name] ?? fallback);
  const apiCount = num('API_COUNT', 2);
  const workerCount = num('WORKER_COUNT', 2);
  const workerPort = num('WORKER_HTTP_PORT', 8081);
  const emulatorPort = num('EMULATOR_PORT', 4566);
  // worker-k on WORKER_HTTP_PORT+k-1, api-k on 8100+k behind its Toxiproxy proxy on 8200+k, the
  // AWS proxies right after the emulator.
  const range = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);
  return {
    experiments: startFisSimulator,
    host: env.HOST ?? '127.0.0.1',
    apiPort: num('PORT', 8080),
    workerPort,
    emulatorPort,
    fisPort: num('FIS_PORT', 4600),
    stackName: env.STACK_NAME ?? 'imagery-local',
    seed: num('CHAOS_SEED', 1),
    maxUploadBytes: num('MAX_UPLOAD_BYTES', 20 * 1024 * 1024),
    publish: true,
    log: (line) => console.log(`[fis] ${line}`),
    platform: {
      apiCount,
      workerCount,
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
    },
  };
}

function printWhereItRuns(session: Session): void {
  const plane = session.platform.controlPlane;
  const proxies = Object.entries(plane.proxies)
    .map(([n, a]) => `${n} ${a}`)
    .join(', ');
  console.log(`\nImagery is up: ${session.url}  (API docs: ${session.url}/docs)`);
  console.log(`  FIS simulator:  ${session.fisUrl}  (aws fis --endpoint-url ${session.fisUrl} ...; npm run chaos -- <experiment>)`);
  console.log(`  Toxiproxy API:  ${session.toxiproxyUrl}  (proxies: ${proxies})`);
  console.log(`  HAProxy stats:  ${plane.haproxy.statsUrl}`);
  const aws = session.platform.emulatorEndpoints;
  console.log(`  AWS emulator:   DynamoDB + CloudFormation ${aws.dynamodb}, S3 ${aws.s3}, SQS ${aws.sqs}`);
  for (const i of plane.fleet.instances()) console.log(`  ${i.tags.Name.padEnd(9)} ${i.id} (AZ ${i.az}, pid ${i.pid}) ${i.baseUrl}`);
  console.log('Press Ctrl-C to stop.\n');
}

/** Stops the platform on Ctrl-C, SIGTERM, or when npm (the parent) is gone. */
function stopOnSignal(session: Session): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the platform`);
    session.close().then(
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

main().catch((err: unknown) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
