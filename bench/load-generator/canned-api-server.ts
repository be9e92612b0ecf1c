import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A trivial stand-in for the API for bench/load-generator.bench.ts (started by canned-api.ts): the API's routes, canned JSON,
 * no state, no work — so what the benchmark measures is the generator. Run in its own process
 * (its CPU must not count as the generator's); prints `listening <port>` when ready.
 */
const created = Buffer.from(JSON.stringify({ id: 'x', version: 1, state: 'created' }));
const uploaded = Buffer.from(JSON.stringify({ id: 'x', version: 2, state: 'uploaded' }));
const processed = Buffer.from(JSON.stringify({ id: 'x', version: 3, state: 'processed' }));
const live = Buffer.from('{"status":"ok"}');

const server = createServer((req, res) => {
  const body = req.method === 'PUT' ? created : req.method === 'POST' ? uploaded : req.url === '/health/live' ? live : processed;
  const status = req.method === 'GET' ? 200 : 201;
  req.resume(); // drain the upload, keep the connection reusable
  req.on('end', () => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
