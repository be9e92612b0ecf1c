import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForHttp } from './wait-for-http';

/** A server answering each request with the next status of `statuses` (the last one repeats), or never with 0. */
async function serve(statuses: number[], body = ''): Promise<{ url: string; server: Server }> {
  const server = createServer((_, res) => {
    const status = statuses.length > 1 ? statuses.shift()! : statuses[0];
    if (status === 0) return; // holds the request open, as a frozen server does
    res.writeHead(status).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('waitForHttp', () => {
  it('resolves true once the answer is a 2xx', async () => {
    const { url, server } = await serve([503, 503, 200]);
    try {
      expect(await waitForHttp(url, 5_000, { intervalMs: 10 })).toBe(true);
    } finally {
      await close(server);
    }
  });

  it('takes what `accept` says is ready, body included', async () => {
    const { url, server } = await serve([200], 'imagery,FRONTEND');
    try {
      const accept = async (res: Response) => (await res.text()).includes('imagery,FRONTEND');
      expect(await waitForHttp(url, 5_000, { accept })).toBe(true);
      await expect(waitForHttp(url, 300, { accept: () => false, intervalMs: 10 })).rejects.toThrow(
        `${url} not ready after 300 ms (HTTP 200, not accepted yet)`,
      );
    } finally {
      await close(server);
    }
  });

  it('resolves false as soon as `abandonOn` settles, even mid-request', async () => {
    const { url, server } = await serve([0]);
    try {
      const t0 = Date.now();
      const gone = new Promise((resolve) => setTimeout(resolve, 100));
      expect(await waitForHttp(url, Infinity, { abandonOn: gone, attemptTimeoutMs: 10_000 })).toBe(false);
      expect(Date.now() - t0).toBeLessThan(2_000);
    } finally {
      await close(server);
    }
  });

  it('rejects after `timeoutMs`, saying what it last saw', async () => {
    const { url, server } = await serve([503]);
    try {
      await expect(waitForHttp(url, 300, { intervalMs: 10 })).rejects.toThrow(`${url} not ready after 300 ms (HTTP 503)`);
    } finally {
      await close(server);
    }
  });
});
