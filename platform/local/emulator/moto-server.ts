import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { spawnOrphanSafe } from '@imagery/kernel/process/spawn-orphan-safe';
import { BIND_FAILURE, PortRetryOptions, PortTakenError, startOnFreePort } from '@imagery/kernel/free-port';
import { repoRoot, toolPath } from '@imagery/kernel/repo-root';

/** A running moto server: one process emulating DynamoDB, S3, SQS, CloudFormation... on one port. */
export interface MotoServer {
  endpoint: string;
  port: number;
  /** moto's own output (request log, tracebacks): kept out of the console, read it when a call fails. */
  logFile: string;
  stop(): Promise<void>;
}

export interface MotoServerOptions {
  /** 0 or absent: a free port is picked. */
  port?: number;
  host?: string;
  /** The log is .run/<logName>.log, overwritten on each start; default moto-<port>. */
  logName?: string;
  readyTimeoutMs?: number;
  /** Tests only: how each attempt's port is picked (see startOnFreePort). */
  pickPort?: PortRetryOptions['pickPort'];
}

const STOP_GRACE_MS = 5_000;

/**
 * Runs `moto_server` as a child process and resolves once it answers HTTP.
 * The child never outlives us: stop() terminates it, a normal exit of this process kills it, and on
 * Linux the kernel kills it if this process dies abruptly (SIGKILL, crash) - see libs/kernel/src/process/spawn-orphan-safe.ts.
 */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  const host = options.host ?? '127.0.0.1';
  const binary = toolPath('moto');
  // A port we picked may be taken before moto binds it: then moto exits and we retry on another.
  return startOnFreePort(
    'moto_server',
    (port) => launch(binary, host, port, options.logName ?? `moto-${port}`, options.readyTimeoutMs ?? 60_000),
    { host, port: options.port, pickPort: options.pickPort },
  );
}

async function launch(binary: string, host: string, port: number, logName: string, readyTimeoutMs: number): Promise<MotoServer> {
  const runDir = join(repoRoot(), '.run');
  mkdirSync(runDir, { recursive: true });
  const logFile = join(runDir, `${logName}.log`);
  const logFd = openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    // moto's own Python, running moto_server with DynamoDB's conditional writes made atomic (see the script)
    const python = join(dirname(binary), 'python3');
    const script = join(repoRoot(), 'platform', 'local', 'emulator', 'atomic_moto_server.py');
    child = spawnOrphanSafe(python, [script, '-H', host, '-p', String(port)], { stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd); // the child has its own copy
  }

  let gone: string | undefined; // how the child ended, once it has
  const exited = new Promise<string>((resolve) => {
    const end = (how: string): void => resolve((gone ??= how));
    child.once('exit', (code, signal) => end(signal ?? `code ${code}`));
    child.once('error', (error) => end(error.message)); // e.g. the binary is missing
  });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const endpoint = `http://${host}:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      process.off('exit', killOnExit);
      if (gone) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_GRACE_MS)));
      if ((await Promise.race([exited, grace])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
      clearTimeout(timer);
    })());

  // Ours once it says it runs there (werkzeug prints that after binding): an answer alone could
  // come from whoever holds the port while our moto fails to bind it.
  const bound = ` * Running on http://${host}:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    const answered = await Promise.race([answersHttp(`${endpoint}/moto-api/`), exited.then(() => false)]);
    if (gone) {
      process.off('exit', killOnExit);
      const log = tail(logFile);
      const message = `moto_server on ${endpoint} exited (${gone}) before it was ready:\n${log}`;
      throw BIND_FAILURE.test(log) ? new PortTakenError(message) : new Error(message);
    }
    if (answered && head(logFile).includes(bound)) return { endpoint, port, logFile, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server on ${endpoint} not answering after ${readyTimeoutMs} ms:\n${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** true once the server sends any HTTP response; false while the port refuses or hangs. */
function answersHttp(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

function head(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(0, 4_000);
  } catch {
    return '';
  }
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
