import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { freePort, isPortFree, PortTakenError, startOnFreePort, startOnFreePorts } from './free-port';

const listen = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('freePort', () => {
  it('picks bindable ports below the ephemeral range, where outgoing connections and port-0 binds never land', async () => {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralLow);
    }
    expect(new Set(ports).size).toBeGreaterThan(15); // random, not a sequence a second caller would repeat
    const server = await listen(ports[0]);
    try {
      expect(await isPortFree(ports[0])).toBe(false);
    } finally {
      await close(server);
    }
  });
});

describe('startOnFreePort', () => {
  it('starts again on a fresh port when the start reports its port taken', async () => {
    const picked = [20_001, 20_002, 20_003];
    const tried: number[] = [];
    const port = await startOnFreePort(
      'server',
      (p) => {
        tried.push(p);
        return p === 20_003 ? Promise.resolve(p) : Promise.reject(new PortTakenError(`${p} taken`));
      },
      { pickPort: () => Promise.resolve(picked.shift()!) },
    );
    expect(port).toBe(20_003);
    expect(tried).toEqual([20_001, 20_002, 20_003]);
  });

  it('gives up after `attempts`, naming every port it tried', async () => {
    let next = 21_000;
    const start = startOnFreePort('haproxy', (p) => Promise.reject(new PortTakenError(String(p))), {
      attempts: 3,
      pickPort: () => Promise.resolve(next++),
    });
    await expect(start).rejects.toThrow('cannot start haproxy: its ports were taken before it bound them, 3 times (21000, 21001, 21002)');
  });

  it('does not retry other failures', async () => {
    let calls = 0;
    const start = startOnFreePort('moto', () => {
      calls++;
      return Promise.reject(new Error('binary missing'));
    });
    await expect(start).rejects.toThrow('binary missing');
    expect(calls).toBe(1);
  });

  it('a fixed port in use fails at once, without starting anything', async () => {
    const server = await listen(0);
    const port = (server.address() as { port: number }).port;
    try {
      const start = jest.fn();
      await expect(startOnFreePort('toxiproxy-server', start, { port })).rejects.toThrow(
        `cannot start toxiproxy-server on 127.0.0.1:${port}: the port is in use`,
      );
      expect(start).not.toHaveBeenCalled();
    } finally {
      await close(server);
    }
  });
});

describe('startOnFreePorts', () => {
  it('several ports: the fixed one is kept, only the picked ones change between attempts', async () => {
    const fixed = await freePort();
    const seen: number[][] = [];
    let next = 22_000;
    const ports = await startOnFreePorts(
      'haproxy',
      [0, fixed],
      (p) => {
        seen.push(p);
        return seen.length < 2 ? Promise.reject(new PortTakenError('taken')) : Promise.resolve(p);
      },
      { pickPort: () => Promise.resolve(next++) },
    );
    expect(seen).toEqual([
      [22_000, fixed],
      [22_001, fixed],
    ]);
    expect(ports).toEqual([22_001, fixed]);
  });
});
