import { join } from 'node:path';
import { ManagedProcess, describeExit } from '@imagery/kernel/process/managed-process';

/** The canned API (canned-api-server.ts) in a child process, so its CPU is not counted as the generator's. */
export async function startCannedApi(dir: string): Promise<{ server: ManagedProcess; baseUrl: string }> {
  let listening!: (port: number) => void;
  const port = new Promise<number>((resolve) => (listening = resolve));
  const server = new ManagedProcess({
    name: 'canned-api',
    command: process.execPath,
    args: [join(__dirname, 'canned-api-server.js')],
    logFile: join(dir, 'server.log'),
    onLine: (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) listening(Number(m[1]));
    },
  });
  try {
    const ended = server.ended.then((exit) => Promise.reject(new Error(`the canned API server ended: ${describeExit(exit)}`)));
    return { server, baseUrl: `http://127.0.0.1:${await Promise.race([port, ended])}` };
  } catch (error) {
    await server.stop(5_000);
    throw error;
  }
}
