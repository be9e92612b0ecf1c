import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortFree } from '../../scripts/local-aws/free-port';
import { repoRoot, toolPath } from '../../scripts/local-aws/repo-root';
import { ManagedProcess } from '../../scripts/platform/managed-process';
import { HaproxyConfigOptions, haproxyConfig } from './haproxy-config';
import { readServerStates } from './haproxy-stats';

export interface HaproxyServer {
  /** The frontend, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly statsUrl?: string;
  readonly configFile: string;
  /** Backend server name → HAProxy's status (`UP`, `DOWN`, `UP 1/2`...); needs a stats port. */
  serverStates(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

export interface HaproxyServerOptions extends HaproxyConfigOptions {
  /** Output lines (state changes, abnormal requests); the console with `[haproxy]` by default. */
  readonly onLine?: (line: string) => void;
  readonly readyTimeoutMs?: number;
}

/**
 * Writes the configuration to .run/haproxy-<port>.cfg and runs Debian's haproxy on it in the
 * foreground (-db: one process, no daemon, no master-worker fork), so it is a plain child that
 * dies with us. Resolves once the frontend accepts connections (servers may still be DOWN).
 */
export async function startHaproxy(options: HaproxyServerOptions): Promise<HaproxyServer> {
  const [host, port] = splitHostPort(options.bind);
  for (const bind of [options.bind, options.statsBind].filter((b): b is string => !!b)) {
    const [h, p] = splitHostPort(bind);
    if (!(await isPortFree(p, h))) throw new Error(`cannot start haproxy on ${bind}: the port is in use (an earlier run still up?)`);
  }
  const runDir = join(repoRoot(), '.run');
  mkdirSync(runDir, { recursive: true });
  const configFile = join(runDir, `haproxy-${port}.cfg`);
  writeFileSync(configFile, haproxyConfig(options));
  const output: string[] = [];
  const child = new ManagedProcess({
    name: 'haproxy',
    command: toolPath('haproxy'),
    args: ['-db', '-f', configFile],
    onLine: (line) => {
      output.push(line);
      if (DUPLICATE.test(line)) return;
      if (output.length > 50) output.shift();
      (options.onLine ?? ((l: string) => console.log(`[haproxy] ${l}`)))(line);
    },
  });
  const url = `http://${host}:${port}`;
  const statsUrl = options.statsBind ? `http://${options.statsBind}` : undefined;
  const server: HaproxyServer = {
    url,
    statsUrl,
    configFile,
    serverStates: () => (statsUrl ? readServerStates(statsUrl, 'api') : Promise.reject(new Error('haproxy runs without a stats port'))),
    // SIGTERM is HAProxy's immediate stop (SIGUSR1 would wait for every connection to finish).
    // The configuration is per run and only worth reading while it runs: remove it.
    stop: async () => {
      await child.stop(5_000);
      rmSync(configFile, { force: true });
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  while (await isPortFree(port, host)) {
    if (!child.running || Date.now() > deadline) {
      await server.stop();
      throw new Error(`haproxy did not start on ${options.bind}:\n${output.join('\n')}`);
    }
    await sleep(50);
  }
  return server;
}

// In the foreground HAProxy prints server state changes twice: as an alert on stderr and as a log
// line on stdout (our `log stdout`); keep the log line.
const DUPLICATE = /^\[(WARNING|ALERT)\]\s+\(\d+\) : (Server |backend )/;

function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}
