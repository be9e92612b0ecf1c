import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startToxiproxyServer, type ToxiproxyServer } from '../../platform/local/toxiproxy/toxiproxy-server';
import { inPlace, ToxiproxyObserver } from './toxiproxy-observer';

/** GET /proxies as Toxiproxy 2.x answers it: proxies by name, each with its toxics. */
const PROXIES = {
  'dynamodb-a': {
    name: 'dynamodb-a',
    listen: '127.0.0.1:40001',
    upstream: '127.0.0.1:5000',
    enabled: true,
    toxics: [{ attributes: { latency: 300, jitter: 50 }, name: 'fis_EXP1_slow', type: 'latency', stream: 'downstream', toxicity: 1 }],
  },
  'sqs-a': { name: 'sqs-a', listen: '127.0.0.1:40002', upstream: '127.0.0.1:5000', enabled: false, toxics: [] },
  's3-a': {
    name: 's3-a',
    listen: '127.0.0.1:40003',
    upstream: '127.0.0.1:5000',
    enabled: true,
    // toxicity 0: in place, but it touches no connection
    toxics: [{ attributes: { timeout: 1000 }, name: 'fis_EXP1_loss', type: 'timeout', stream: 'downstream', toxicity: 0 }],
  },
};

describe('ToxiproxyObserver: what Toxiproxy itself shows in place', () => {
  it('reads the toxics (with an effect) and the disabled proxies of a /proxies answer', () => {
    expect(inPlace(PROXIES)).toEqual({
      toxics: [{ proxy: 'dynamodb-a', name: 'fis_EXP1_slow', toxic: 'latency', attributes: { latency: 300, jitter: 50 } }],
      disabled: ['sqs-a'],
    });
    expect(inPlace({})).toEqual({ toxics: [], disabled: [] });
    expect(() => inPlace([])).toThrow(/not a \/proxies answer/);
  });
});

describe('ToxiproxyObserver against a tiny HTTP server answering a sequence of shapes', () => {
  let server: Server;
  let url: string;
  let answers: object[];
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/proxies' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answers.length > 1 ? answers.shift() : answers[0]));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('records each toxic and cut once per contiguous presence, at the time first seen', async () => {
    const healthy = { 'sqs-a': { ...PROXIES['sqs-a'], enabled: true }, 'dynamodb-a': { ...PROXIES['dynamodb-a'], toxics: [] } };
    answers = [healthy, PROXIES, PROXIES, healthy, PROXIES];
    let clock = 1_000;
    const observer = new ToxiproxyObserver(url, () => clock);
    for (let i = 0; i < 5; i++, clock += 1_000) await observer.poll();
    const attributes = { latency: 300, jitter: 50 };
    const slow = { kind: 'toxic', phase: 'observed', proxy: 'dynamodb-a', name: 'fis_EXP1_slow', toxic: 'latency', attributes };
    const cut = { kind: 'proxy', phase: 'observed-disabled', proxy: 'sqs-a' };
    expect(observer.entries()).toEqual([
      { type: 'nemesis', time: 2_000, event: slow },
      { type: 'nemesis', time: 2_000, event: cut },
      // gone at 4 s, back at 5 s: a new presence
      { type: 'nemesis', time: 5_000, event: slow },
      { type: 'nemesis', time: 5_000, event: cut },
    ]);
  });

  it('start polls on an interval until stop, which returns the entries; a failed poll is counted, not thrown', async () => {
    answers = [PROXIES];
    const observer = new ToxiproxyObserver(url);
    observer.start(20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const entries = await observer.stop();
    expect(entries.map((e) => e.event.kind).sort()).toEqual(['proxy', 'toxic']);
    expect(observer.polls).toBeGreaterThan(1);

    const down = new ToxiproxyObserver('http://127.0.0.1:9');
    down.start(20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await down.stop()).toEqual([]);
    expect(down.failures).toBeGreaterThan(0);
  });
});

describe('ToxiproxyObserver against the real Toxiproxy server', () => {
  let toxiproxy: ToxiproxyServer;
  beforeAll(async () => {
    toxiproxy = await startToxiproxyServer();
  }, 30_000);
  afterAll(() => toxiproxy?.stop());

  it('sees a toxic added through its API and a proxy disabled through it', async () => {
    const json = { 'content-type': 'application/json' };
    const post = (path: string, body: object) =>
      fetch(`${toxiproxy.url}${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) }).then((r) => {
        if (!r.ok) throw new Error(`${path}: ${r.status}`);
      });
    await post('/proxies', { name: 'obs-a', listen: '127.0.0.1:0', upstream: '127.0.0.1:9', enabled: true });
    await post('/proxies', { name: 'obs-b', listen: '127.0.0.1:0', upstream: '127.0.0.1:9', enabled: true });
    const observer = new ToxiproxyObserver(toxiproxy.url);
    await observer.poll();
    expect(observer.entries()).toEqual([]);
    const toxic = { name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 0 } };
    await post('/proxies/obs-a/toxics', toxic);
    await post('/proxies/obs-b', { enabled: false });
    await observer.poll();
    expect(observer.entries().map((e) => e.event)).toEqual([
      { kind: 'toxic', phase: 'observed', proxy: 'obs-a', name: 'slow', toxic: 'latency', attributes: { latency: 100, jitter: 0 } },
      { kind: 'proxy', phase: 'observed-disabled', proxy: 'obs-b' },
    ]);
  });
});
