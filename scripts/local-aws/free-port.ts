import { createServer } from 'node:net';

/**
 * A TCP port that is free right now, chosen by the kernel (listen on port 0, read it, close).
 * Another process can still take it before the caller binds it, so callers that spawn a server on it
 * retry with a new port when the server fails to start.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const port = await tryListen(host, 0);
  if (!port) throw new Error(`no free port on ${host}`);
  return port;
}

/**
 * Whether `port` can be bound now. Checked before starting a server on a requested port: otherwise a
 * readiness probe could be answered by whatever already listens there while our server fails to bind.
 */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return (await tryListen(host, port)) !== undefined;
}

/** The bound port, or undefined when it cannot be bound (EADDRINUSE, EACCES). */
function tryListen(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}
