import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIND_FAILURE, PortRetryOptions, PortTakenError, startOnFreePort } from '@imagery/kernel/free-port';
import { repoRoot, toolPath } from '@imagery/kernel/repo-root';
import { ManagedProcess } from '@imagery/kernel/process/managed-process';

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
  const runDir = join(repoRoot(), '.run');
  mkdirSync(runDir, { recursive: true });
  const logFile = join(runDir, `toxiproxy-${port}.log`);
  const log = openSync(logFile, 'w');
  const child = new ManagedProcess({
    name: 'toxiproxy',
    command: toolPath('toxiproxy'),
    args: ['-host', host, '-port', String(port)],
    // info, not the default debug: one line per proxy change rather than per API request
    env: { LOG_LEVEL: 'info' },
    onLine: (line) => void appendLine(log, line),
  });
  const url = `http://${host}:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await child.stop(5_000);
      closeSync(log);
      // A run on a picked port (tests) would leave one log per port behind; a fixed port's is kept.
      if (!options.port) rmSync(logFile, { force: true });
    })());
  const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
  for (;;) {
    // A failed bind does not end toxiproxy-server: it logs "Server finished with error" and idles.
    const output = readFileSync(logFile, 'utf8');
    if (BIND_FAILURE.test(output)) {
      await stop();
      throw new PortTakenError(`toxiproxy-server could not bind ${url}:\n${output.slice(-2_000)}`);
    }
    if (!child.running) {
      await stop();
      throw new Error(`toxiproxy-server on ${url} exited before it was ready:\n${output.slice(-2_000)}`);
    }
    // An answer could come from whoever holds the port: ours is the one whose bind error, which
    // follows its start line within a millisecond, never comes.
    if (output.includes('Starting Toxiproxy HTTP server') && (await answers(`${url}/version`))) {
      await sleep(100);
      if (!BIND_FAILURE.test(readFileSync(logFile, 'utf8')) && child.running) return { url, logFile, stop };
      continue;
    }
    if (Date.now() > deadline) {
      const tail = readFileSync(logFile, 'utf8').slice(-2_000);
      await stop();
      throw new Error(`toxiproxy-server on ${url} not answering:\n${tail}`);
    }
    await sleep(50);
  }
}

function appendLine(fd: number, line: string): void {
  try {
    writeSync(fd, line + '\n');
  } catch {
    // the log was closed while the process still printed its last words
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
