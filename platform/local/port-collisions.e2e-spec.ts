import { createServer, type Server } from 'node:net';
import { HaproxyServer, startHaproxy } from './haproxy/haproxy-server';
import { ToxiproxyServer, startToxiproxyServer } from './toxiproxy/toxiproxy-server';
import { FisSimulator, startFisSimulator } from '../../chaos/fis';
import { fakeControlPlane } from '@imagery/testing/fis/fake-control-plane';
import { freePort } from '@imagery/kernel/free-port';
import { MotoServer, startMotoServer } from './emulator/moto-server';

/**
 * The race a free-port start used to lose, forced: the port a server is about to bind is taken by
 * a listener of someone else in between. Each server kind must see its bind fail and start on a
 * fresh port, and never mistake the other listener for itself.
 */
let holder: Server;
let heldPort: number;

beforeEach(async () => {
  heldPort = await freePort();
  holder = createServer((socket) => socket.destroy()); // answers nothing, as a stray listener would
  await new Promise<void>((resolve) => holder.listen(heldPort, '127.0.0.1', resolve));
});
afterEach(() => new Promise((resolve) => holder.close(resolve)));

/** The first picks are the taken port (as if taken right after it was picked), then real free ports. */
function collidingPicker(collisions = 1, taken = heldPort): { pickPort: (host: string) => Promise<number>; picks: number[] } {
  const picks: number[] = [];
  return {
    picks,
    pickPort: async (host) => {
      const port = picks.length < collisions ? taken : await freePort(host);
      picks.push(port);
      return port;
    },
  };
}

const portOf = (url: string) => Number(new URL(url).port);

describe('a server whose picked port is taken starts again on a fresh one', () => {
  it('moto_server', async () => {
    const { pickPort, picks } = collidingPicker();
    let moto: MotoServer | undefined;
    try {
      moto = await startMotoServer({ pickPort, logName: 'moto-collision' });
      expect(picks[0]).toBe(heldPort);
      expect(picks).toHaveLength(2);
      expect(moto.port).toBe(picks[1]);
      expect((await fetch(`${moto.endpoint}/moto-api/`)).ok).toBe(true);
    } finally {
      await moto?.stop();
    }
  }, 60_000);

  it('toxiproxy-server (which does not even exit when its bind fails)', async () => {
    const { pickPort, picks } = collidingPicker();
    let toxiproxy: ToxiproxyServer | undefined;
    try {
      toxiproxy = await startToxiproxyServer({ pickPort });
      expect(picks[0]).toBe(heldPort);
      expect(portOf(toxiproxy.url)).toBe(picks[1]);
      expect((await fetch(`${toxiproxy.url}/version`)).ok).toBe(true);
    } finally {
      await toxiproxy?.stop();
    }
  }, 30_000);

  it.each([
    ['frontend', 1],
    ['frontend twice, then the stats port', 3],
  ])(
    'haproxy: %s taken',
    async (_, collisions) => {
      // picks alternate frontend, stats: 1 collision hits the frontend; 3 hit frontend, stats, frontend
      const { pickPort, picks } = collidingPicker(collisions);
      let haproxy: HaproxyServer | undefined;
      try {
        haproxy = await startHaproxy({ bind: '127.0.0.1:0', statsBind: '127.0.0.1:0', servers: [], pickPort, onLine: () => undefined });
        const [frontend, stats] = picks.slice(-2);
        expect(picks.filter((p) => p === heldPort)).toHaveLength(collisions);
        expect(picks.length).toBe(collisions === 1 ? 4 : 6);
        expect(portOf(haproxy.url)).toBe(frontend);
        expect(portOf(haproxy.statsUrl!)).toBe(stats);
        expect([frontend, stats]).not.toContain(heldPort);
        expect(await haproxy.serverStates()).toEqual({});
      } finally {
        await haproxy?.stop();
      }
    },
    30_000,
  );
});

describe('two platforms starting at once', () => {
  it("haproxy: a port another HAProxy holds is taken (HAProxy's default SO_REUSEPORT would share it silently)", async () => {
    let first: HaproxyServer | undefined;
    let second: HaproxyServer | undefined;
    try {
      first = await startHaproxy({ bind: '127.0.0.1:0', statsBind: '127.0.0.1:0', servers: [], onLine: () => undefined });
      const taken = portOf(first.url);
      const { pickPort, picks } = collidingPicker(1, taken);
      second = await startHaproxy({ bind: '127.0.0.1:0', statsBind: '127.0.0.1:0', servers: [], pickPort, onLine: () => undefined });
      expect(picks[0]).toBe(taken);
      expect(portOf(second.url)).not.toBe(taken);
      expect(picks).toHaveLength(4); // frontend + stats, twice
    } finally {
      await second?.stop();
      await first?.stop();
    }
  }, 30_000);
});

describe('ports a start does not pick', () => {
  it('a fixed port that is taken fails at once with a message saying so (someone else runs there)', async () => {
    await expect(startHaproxy({ bind: `127.0.0.1:${heldPort}`, servers: [], onLine: () => undefined })).rejects.toThrow(
      `cannot start haproxy on 127.0.0.1:${heldPort}: the port is in use`,
    );
    await expect(startToxiproxyServer({ port: heldPort })).rejects.toThrow(
      `cannot start toxiproxy-server on 127.0.0.1:${heldPort}: the port is in use`,
    );
    await expect(startMotoServer({ port: heldPort })).rejects.toThrow(
      `cannot start moto_server on 127.0.0.1:${heldPort}: the port is in use`,
    );
  });

  it('the FIS simulator binds port 0 itself and reports the port it got (nothing to race)', async () => {
    let fis: FisSimulator | undefined;
    try {
      fis = await startFisSimulator({ controlPlane: fakeControlPlane(), host: '127.0.0.1', port: 0, log: () => undefined });
      expect(fis.port).toBeGreaterThan(0);
      expect(fis.url).toBe(`http://127.0.0.1:${fis.port}`);
    } finally {
      await fis?.stop();
    }
  });
});
