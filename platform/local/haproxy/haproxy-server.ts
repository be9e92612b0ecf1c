import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIND_FAILURE, PortRetryOptions, PortTakenError, isPortFree, startOnFreePorts } from '@imagery/kernel/free-port';
import { repoRoot, toolPath } from '@imagery/kernel/repo-root';
import { ManagedProcess } from '@imagery/kernel/process/managed-process';
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
  /** Tests only: how each attempt's ports are picked (see startOnFreePorts). */
  readonly pickPort?: PortRetryOptions['pickPort'];
}

/**
 * Writes the configuration to .run/haproxy-<port>.cfg and runs Debian's haproxy on it in the
 * foreground (-db: one process, no daemon, no master-worker fork), so it is a plain child that
 * dies with us. Resolves once the frontend accepts connections (servers may still be DOWN).
 * A port of 0 in `bind` or `statsBind` is picked free, and picked again if it is taken before
 * HAProxy binds it ("cannot bind socket"); the returned url has the real one.
 */
export async function startHaproxy(options: HaproxyServerOptions): Promise<HaproxyServer> {
  const [host, port] = splitHostPort(options.bind);
  const stats = options.statsBind ? splitHostPort(options.statsBind) : undefined;
  return startOnFreePorts(
    'haproxy',
    stats ? [port, stats[1]] : [port],
    ([frontend, statsPort]) =>
      launch({ ...options, bind: `${host}:${frontend}`, statsBind: stats ? `${stats[0]}:${statsPort}` : undefined }),
    { host, pickPort: options.pickPort },
  );
}

async function launch(options: HaproxyServerOptions): Promise<HaproxyServer> {
  const [host, port] = splitHostPort(options.bind);
  const runDir = join(repoRoot(), '.run');
  mkdirSync(runDir, { recursive: true });
  const configFile = join(runDir, `haproxy-${port}.cfg`);
  writeFileSync(configFile, haproxyConfig(options));
  const output: string[] = [];
  let bindFailed = false;
  let ready = false;
  const child = new ManagedProcess({
    name: 'haproxy',
    command: toolPath('haproxy'),
    args: ['-db', '-f', configFile],
    onLine: (line) => {
      if (BIND_FAILURE.test(line)) bindFailed = true;
      output.push(line);
      if (DUPLICATE.test(line)) return;
      if (output.length > 50) output.shift();
      if (!ready) return; // start-up lines are shown only if the start fails
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
  // HAProxy binds every listener before it serves anything and exits if one fails. Its own stats
  // page answering proves both were bound by it (a port's mere use could be someone else's).
  while (!(await answersAsHaproxy(server))) {
    if (!child.running || Date.now() > deadline) {
      await server.stop();
      if (!bindFailed) await sleep(50); // its last lines may still be in the pipe after it exited
      const message = `haproxy did not start on ${options.bind}:\n${output.join('\n')}`;
      throw bindFailed ? new PortTakenError(message) : new Error(message);
    }
    await sleep(50);
  }
  ready = true;
  return server;
}

/**
 * With a stats port: the stats CSV lists our frontend. Without one (tests of the configuration),
 * the frontend's port is in use: a listener of someone else could pass for it, which the platform,
 * always started with a stats port, never relies on.
 */
async function answersAsHaproxy(server: HaproxyServer): Promise<boolean> {
  if (server.statsUrl) {
    try {
      const res = await fetch(`${server.statsUrl}/;csv`, { signal: AbortSignal.timeout(1_000) });
      return res.ok && (await res.text()).includes('imagery,FRONTEND');
    } catch {
      return false;
    }
  }
  const [host, port] = splitHostPort(server.url.slice('http://'.length));
  return !(await isPortFree(port, host));
}

// In the foreground HAProxy prints server state changes twice: as an alert on stderr and as a log
// line on stdout (our `log stdout`); keep the log line.
const DUPLICATE = /^\[(WARNING|ALERT)\]\s+\(\d+\) : (Server |backend )/;

function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}
