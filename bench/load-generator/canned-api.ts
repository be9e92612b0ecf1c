import { join } from 'node:path';
import { LoggedProcess, startLoggedProcess } from '../logged-process';

/** The canned API (canned-api-server.ts) in a child process, so its CPU is not counted as the generator's. */
export async function startCannedApi(dir: string): Promise<{ server: LoggedProcess; baseUrl: string }> {
  const server = startLoggedProcess(process.execPath, [join(__dirname, 'canned-api-server.js')], {}, join(dir, 'server.log'));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      server.onLine((line) => {
        const m = /^listening (\d+)$/.exec(line);
        if (m) resolve(Number(m[1]));
      });
      void server.exited.then((how) => reject(new Error(`the canned API server ended: ${how}`)));
    });
    return { server, baseUrl: `http://127.0.0.1:${port}` };
  } catch (error) {
    await server.stop(5_000);
    throw error;
  }
}
