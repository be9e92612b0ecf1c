import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ManagedProcess, describeExit } from '@imagery/kernel/process/managed-process';
import { waitForHttp } from '@imagery/kernel/wait-for-http';
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
  /**
   * `plain` (default): moto as shipped, with only DynamoDB's item operations made atomic (the bench's
   * baseline, on werkzeug's dev server, which closes every connection). `lean`: the same, plus
   * lean_moto_server.py's cached lookups, served by cheroot (keep-alive connections, a thread pool), no request log.
   */
  variant?: MotoVariant;
}

export type MotoVariant = 'plain' | 'lean';
const SCRIPTS: Readonly<Record<MotoVariant, string>> = { plain: 'atomic_moto_server.py', lean: 'lean_moto_server.py' };

const STOP_GRACE_MS = 5_000;

/**
 * Runs `moto_server` as a child process and resolves once it answers HTTP. The child never
 * outlives us (ManagedProcess): stop() terminates it, and it dies with this process however it ends.
 */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  const host = options.host ?? '127.0.0.1';
  const binary = toolPath('moto');
  // A port we picked may be taken before moto binds it: then moto exits and we retry on another.
  return startOnFreePort(
    'moto_server',
    (port) =>
      launch(
        binary,
        SCRIPTS[options.variant ?? 'plain'],
        { host, port },
        options.logName ?? `moto-${port}`,
        options.readyTimeoutMs ?? 60_000,
      ),
    { host, port: options.port, pickPort: options.pickPort },
  );
}

async function launch(
  binary: string,
  scriptName: string,
  { host, port }: { host: string; port: number },
  logName: string,
  readyTimeoutMs: number,
): Promise<MotoServer> {
  const logFile = join(repoRoot(), '.run', `${logName}.log`);
  // moto's own Python, running moto_server with DynamoDB's conditional writes made atomic (see the script)
  const python = join(dirname(binary), 'python3');
  const script = join(repoRoot(), 'platform', 'local', 'emulator', scriptName);
  // No onLine: moto writes its log itself, none of it passes through us.
  const child = new ManagedProcess({ name: 'moto_server', command: python, args: [script, '-H', host, '-p', String(port)], logFile });
  const endpoint = `http://${host}:${port}`;
  const stop = async (): Promise<void> => {
    await child.stop(STOP_GRACE_MS);
  };
  if (await answersAsMoto(endpoint, child, logFile, readyTimeoutMs)) return { endpoint, port, logFile, stop };
  const log = tail(logFile);
  const message = `moto_server on ${endpoint} exited (${describeExit(await child.ended)}) before it was ready:\n${log}`;
  throw BIND_FAILURE.test(log) ? new PortTakenError(message) : new Error(message);
}

/**
 * true once our moto answers; false if it ended first. Ours once it says it runs there (werkzeug
 * and lean_moto_server.py print that after binding): an answer alone could come from whoever holds the port while our moto
 * fails to bind it. Stops it and rejects if it does not answer in time.
 */
async function answersAsMoto(endpoint: string, child: ManagedProcess, logFile: string, readyTimeoutMs: number): Promise<boolean> {
  const bound = ` * Running on ${endpoint}`;
  try {
    return await waitForHttp(`${endpoint}/moto-api/`, readyTimeoutMs, {
      accept: () => head(logFile).includes(bound), // any answer, from the moto that bound the port
      abandonOn: child.ended,
      intervalMs: 100,
    });
  } catch {
    await child.stop(STOP_GRACE_MS);
    throw new Error(`moto_server on ${endpoint} not answering after ${readyTimeoutMs} ms:\n${tail(logFile)}`);
  }
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
