import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIND_FAILURE, PortRetryOptions, PortTakenError, startOnFreePort } from '@imagery/kernel/free-port';
import { repoRoot, toolPath } from '@imagery/kernel/repo-root';
import { ManagedProcess } from '@imagery/kernel/process/managed-process';
import { waitForHttp } from '@imagery/kernel/wait-for-http';

/** The real toxiproxy-server (built by scripts/tools.sh into the tool cache), as a child process. */
export interface ToxiproxyServer {
  /** Its HTTP API, e.g. http://127.0.0.1:8474 */
  readonly url: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface ToxiproxyServerOptions {
  readonly host?: string;
  /** 0 or absent: a free port. */
  readonly port?: number;
  readonly readyTimeoutMs?: number;
  /** Tests only: how each attempt's port is picked (see startOnFreePort). */
  readonly pickPort?: PortRetryOptions['pickPort'];
}

/**
 * Starts toxiproxy-server and resolves once its API answers; its log (JSON lines) goes to .run/.
 * On a picked port that someone takes before it binds, it starts again on another.
 */
export async function startToxiproxyServer(options: ToxiproxyServerOptions = {}): Promise<ToxiproxyServer> {
  const host = options.host ?? '127.0.0.1';
  return startOnFreePort('toxiproxy-server', (port) => launch(host, port, options), {
    host,
    port: options.port,
    pickPort: options.pickPort,
  });
}

async function launch(host: string, port: number, options: ToxiproxyServerOptions): Promise<ToxiproxyServer> {
  const logFile = join(repoRoot(), '.run', `toxiproxy-${port}.log`);
  const startup = new StartupLines();
  const child = new ManagedProcess({
    name: 'toxiproxy',
    command: toolPath('toxiproxy'),
    args: ['-host', host, '-port', String(port)],
    // info, not the default debug: one line per proxy change rather than per API request. One
    // scheduler thread: ~20 % less CPU per proxied request here (0.13-0.18 vs 0.16-0.22 core-ms),
    // the cross-thread wake-ups of a second one costing more than it adds to a proxy this light.
    env: { LOG_LEVEL: 'info', GOMAXPROCS: '1' },
    logFile,
    onLine: (line) => startup.read(line),
  });
  const url = `http://${host}:${port}`;
  const stop = async (): Promise<void> => {
    await child.stop(5_000);
    // A run on a picked port (tests) would leave one log per port behind; a fixed port's is kept.
    if (!options.port) rmSync(logFile, { force: true });
  };
  const logTail = (): string => readFileSync(logFile, 'utf8').slice(-2_000);
  const ready = await answersAsToxiproxy(url, child, startup, options.readyTimeoutMs ?? 15_000).catch(async (err: unknown) => {
    const tail = logTail();
    await stop();
    throw new Error(`toxiproxy-server on ${url} not answering:\n${tail}`, { cause: err });
  });
  if (ready) return { url, logFile, stop };
  const tail = logTail();
  await stop();
  if (startup.bindFailed) throw new PortTakenError(`toxiproxy-server could not bind ${url}:\n${tail}`);
  throw new Error(`toxiproxy-server on ${url} exited before it was ready:\n${tail}`);
}

/** What toxiproxy-server's start-up lines say. A failed bind does not end it: it logs "Server finished with error" and idles. */
class StartupLines {
  started = false;
  bindFailed = false;
  private failed!: () => void;
  /** Settles when the log shows a failed bind. */
  readonly bindFailure = new Promise<void>((resolve) => (this.failed = resolve));

  read(line: string): void {
    if (line.includes('Starting Toxiproxy HTTP server')) this.started = true;
    if (!BIND_FAILURE.test(line)) return;
    this.bindFailed = true;
    this.failed();
  }
}

/**
 * true once our toxiproxy-server answers; false if it ended or failed to bind first; rejects after
 * `timeoutMs`. An answer could come from whoever holds the port: ours is the one whose bind error,
 * which follows its start line within a millisecond, never comes.
 */
async function answersAsToxiproxy(url: string, child: ManagedProcess, startup: StartupLines, timeoutMs: number): Promise<boolean> {
  const answered = await waitForHttp(`${url}/version`, timeoutMs, {
    accept: (res) => res.ok && startup.started,
    abandonOn: Promise.race([child.ended, startup.bindFailure]),
    intervalMs: 50,
    attemptTimeoutMs: 1_000,
  });
  if (!answered) return false;
  await sleep(100);
  return !startup.bindFailed && child.running;
}
