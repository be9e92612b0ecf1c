/**
 * A bare node:http server, forked by bare-http-cpu.ts: it answers every request with the body it is
 * given (the API's own answer to a read), no framework, no middleware, no logging. Its CPU per request
 * is what serving HTTP costs Node itself, the least any API instance pays per request.
 * IPC in: { body } to start, 'cpu' for its CPU so far. Out: { port } once listening, { cpuMicros }.
 */
import { createServer } from 'node:http';

type Command = { readonly body: string } | 'cpu';

const send = (message: unknown): void => void process.send?.(message);

process.on('message', (command: Command) => {
  if (command === 'cpu') {
    const { user, system } = process.cpuUsage();
    send({ cpuMicros: user + system });
    return;
  }
  const body = Buffer.from(command.body);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    send({ port: typeof address === 'object' && address ? address.port : 0 });
  });
});
// The bench ended (or died): nothing else stops this process.
process.on('disconnect', () => process.exit(0));
