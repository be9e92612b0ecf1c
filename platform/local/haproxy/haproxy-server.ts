import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BIND_FAILURE, PortRetryOptions, PortTakenError, startOnFreePorts } from '@imagery/kernel/free-port';
import { repoRoot, toolPath } from '@imagery/kernel/repo-root';
import { ManagedProcess } from '@imagery/kernel/process/managed-process';
import { waitForHttp } from '@imagery/kernel/wait-for-http';
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
  const configFile = join(repoRoot(), '.run', `haproxy-${port}.cfg`);
  mkdirSync(dirname(configFile), { recursive: true });
  writeFileSync(configFile, haproxyConfig(options));
  const output = new HaproxyOutput(options.onLine ?? ((l: string) => console.log(`[haproxy] ${l}`)));
  const child = new ManagedProcess({
    name: 'haproxy',
    command: toolPath('haproxy'),
    args: ['-db', '-f', configFile],
    onLine: (line) => output.read(line),
  });
  const statsUrl = options.statsBind ? `http://${options.statsBind}` : undefined;
  const server: HaproxyServer = {
    url: `http://${host}:${port}`,
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
  if (await answersAsHaproxy(server, child, options.readyTimeoutMs ?? 10_000)) {
    output.ready = true;
    return server;
  }
  await server.stop(); // once it ended, every line it printed has been read
  const message = `haproxy did not start on ${options.bind}:\n${output.startup.join('\n')}`;
  throw output.bindFailed ? new PortTakenError(message) : new Error(message);
}

/** HAProxy's output: kept while it starts (shown only if the start fails), then passed on. */
class HaproxyOutput {
  readonly startup: string[] = [];
  bindFailed = false;
  ready = false;

  constructor(private readonly onLine: (line: string) => void) {}

  read(line: string): void {
    if (BIND_FAILURE.test(line)) this.bindFailed = true;
    this.startup.push(line);
    if (DUPLICATE.test(line)) return;
    if (this.startup.length > 50) this.startup.shift();
    if (this.ready) this.onLine(line);
  }
}

/**
 * true once HAProxy answers as itself, false if it ended first or did not in `timeoutMs`.
 * HAProxy binds every listener before it serves anything and exits if one fails. With a stats port,
 * its stats CSV listing our frontend proves both were bound by it (a port's mere use could be
 * someone else's). Without one (tests of the configuration), any answer of the frontend counts: a
 * listener of someone else could pass for it, which the platform, always started with a stats
 * port, never relies on.
 */
async function answersAsHaproxy(server: HaproxyServer, child: ManagedProcess, timeoutMs: number): Promise<boolean> {
  const probe = server.statsUrl ? `${server.statsUrl}/;csv` : server.url;
  const accept = server.statsUrl ? async (res: Response) => res.ok && (await res.text()).includes('imagery,FRONTEND') : () => true;
  const options = { accept, abandonOn: child.ended, intervalMs: 50, attemptTimeoutMs: 1_000 };
  return waitForHttp(probe, timeoutMs, options).catch(() => false);
}

// In the foreground HAProxy prints server state changes twice: as an alert on stderr and as a log
// line on stdout (our `log stdout`); keep the log line.
const DUPLICATE = /^\[(WARNING|ALERT)\]\s+\(\d+\) : (Server |backend )/;

function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}
