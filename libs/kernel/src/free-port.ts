import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A TCP port that is free right now, for a server to be started on it a moment later.
 *
 * Picked at random *below* the kernel's ephemeral range (net.ipv4.ip_local_port_range), not by
 * binding port 0: port 0 hands out ephemeral ports, the very ones every outgoing connection of
 * this machine takes too, and one of them taking the port between our pick and the server's bind
 * is the race that made `haproxy ... cannot bind socket (Address already in use)` fail a run.
 * Below the range only a server binding that exact port can collide; servers started on a picked
 * port still retry on a fresh one when that happens (startOnFreePort).
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const [low, high] = PICK_RANGE;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if ((await tryListen(host, port)) !== undefined) return port;
  }
  const port = await tryListen(host, 0); // a crowded range: fall back to the kernel's choice
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

/** Thrown by a server start when its port was taken (by the time it bound it): try another port. */
export class PortTakenError extends Error {}

/** The wording of a failed bind in the servers' own output (errno text, Node, HAProxy, Go, Python). */
export const BIND_FAILURE = /EADDRINUSE|address already in use|cannot bind socket/i;

export interface PortRetryOptions {
  /** A port to use as is: a collision is then an error, not a retry (someone else runs there). */
  readonly port?: number;
  readonly host?: string;
  readonly attempts?: number;
  /** Picks the port of each attempt (tests force a collision through it); freePort by default. */
  readonly pickPort?: (host: string) => Promise<number>;
}

/**
 * Starts a server on a port picked just before, and when the start reports the port taken
 * (PortTakenError), on a freshly picked one: what makes a free-port start unable to race. With a
 * fixed `port`, a taken port fails at once with a message saying so.
 */
export function startOnFreePort<T>(what: string, start: (port: number) => Promise<T>, options: PortRetryOptions = {}): Promise<T> {
  return startOnFreePorts(what, [options.port], ([port]) => start(port), options);
}

/**
 * startOnFreePort for a server with several ports (HAProxy: frontend and stats): the absent or 0
 * ones are picked afresh for each attempt, the given ones are kept (and must be free).
 */
export async function startOnFreePorts<T>(
  what: string,
  requested: ReadonlyArray<number | undefined>,
  start: (ports: number[]) => Promise<T>,
  options: Omit<PortRetryOptions, 'port'> = {},
): Promise<T> {
  const host = options.host ?? '127.0.0.1';
  const fixed = requested.filter((p): p is number => !!p);
  for (const port of fixed) {
    if (!(await isPortFree(port, host)))
      throw new Error(`cannot start ${what} on ${host}:${port}: the port is in use (an earlier run still up?)`);
  }
  const attempts = fixed.length === requested.length ? 1 : (options.attempts ?? 5);
  const pick = options.pickPort ?? freePort;
  const tried: string[] = [];
  for (;;) {
    const ports: number[] = [];
    for (const port of requested) ports.push(port || (await pick(host)));
    try {
      return await start(ports);
    } catch (error) {
      if (!(error instanceof PortTakenError)) throw error;
      tried.push(ports.join('+'));
      if (tried.length >= attempts) {
        if (attempts === 1) throw error;
        const message = `cannot start ${what}: its ports were taken before it bound them, ${attempts} times (${tried.join(', ')})`;
        throw new Error(message, { cause: error });
      }
    }
  }
}

// Ports [10000, start of the ephemeral range): clear of the well-known and registered services this
// project and a developer's machine use (4566, 4600, 8080, 8474...) and of outgoing connections.
const PICK_RANGE = ((): [number, number] => {
  try {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (ephemeralLow > 12_000) return [10_000, ephemeralLow - 1];
  } catch {
    // not Linux: below IANA's dynamic range (49152+) and Linux's default (32768+) alike
  }
  return [20_000, 32_767];
})();

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
