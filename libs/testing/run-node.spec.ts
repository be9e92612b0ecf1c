import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { freePort } from '@imagery/kernel/free-port';
import { startNode, startNodeServer, type NodeChild } from './run-node';
import { useTempDirs } from './temp-dirs';

const tempDir = useTempDirs();

/** A server script like the apps: it binds PORT, then says so; a failed bind prints the error and exits 1. */
function serverScript(): string {
  const path = join(tempDir('run-node-spec-'), 'server.js');
  writeFileSync(
    path,
    `const port = Number(process.env.PORT);
     require('node:http')
       .createServer((req, res) => res.end('ours'))
       .on('error', (err) => { console.error(err.message); process.exit(1); })
       .listen(port, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + port));
     process.on('SIGTERM', () => process.exit(0));`,
  );
  return path;
}

describe('startNodeServer', () => {
  const children: NodeChild[] = [];
  const servers: Server[] = [];
  afterEach(() => {
    children.splice(0).forEach((child) => child.kill('SIGKILL'));
    servers.splice(0).forEach((server) => server.close());
  });

  it('gives up a port another server took before the bind (and answers a probe on) for a fresh one, reaching its own', async () => {
    const taken = createServer((req, res) => res.end('theirs'));
    servers.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as { port: number }).port;
    const picks = [takenPort];

    const server = await startNodeServer('server', serverScript(), (port) => ({ ...process.env, PORT: String(port) }), {
      pickPort: async () => picks.shift() ?? freePort(),
    });
    children.push(server.child);

    expect(server.port).not.toBe(takenPort);
    expect(await (await fetch(server.url)).text()).toBe('ours');
  });

  it('rejects with what the script printed when it ends before listening for another reason', async () => {
    const path = join(tempDir('run-node-spec-'), 'broken.js');
    writeFileSync(path, `console.error('missing setting IMAGES_TABLE'); process.exit(1);`);
    await expect(startNodeServer('broken', path, () => process.env)).rejects.toThrow(
      /broken ended before listening.*\n.*missing setting IMAGES_TABLE/,
    );
  });
});

describe('NodeChild.printed', () => {
  it('resolves true once the output matches, false when the child ends without printing it', async () => {
    const path = join(tempDir('run-node-spec-'), 'talk.js');
    writeFileSync(path, `console.log('first'); setTimeout(() => console.log('second'), 100);`);
    const child = startNode(path);
    expect(await child.printed(/second/)).toBe(true);
    expect(await child.printed(/never said/)).toBe(false);
  });
});
