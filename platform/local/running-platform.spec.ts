import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PlatformDescription, findRunningPlatform, publishPlatform, unpublishPlatform } from './running-platform';

/** A stand-in for the platform's load balancer: answers /health with `status`. */
async function healthServer(status: () => number): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => res.writeHead(req.url === '/health' ? status() : 404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const describeAt = (url: string, overrides: Partial<PlatformDescription> = {}): PlatformDescription => ({
  pid: process.pid,
  url,
  fisUrl: 'http://127.0.0.1:4600',
  toxiproxyUrl: 'http://127.0.0.1:8474',
  emulatorEndpoint: 'http://127.0.0.1:4566',
  emulatorEndpoints: { dynamodb: 'http://127.0.0.1:4566', s3: 'http://127.0.0.1:40001', sqs: 'http://127.0.0.1:40002' },
  directEnv: { IMAGES_DLQ_URL: 'http://127.0.0.1:4566/123/dlq', IMAGES_QUEUE_URL: 'http://127.0.0.1:4566/123/main' },
  maxUploadBytes: 1024,
  build: 'real',
  eventsFile: '/tmp/none.jsonl',
  seed: 7,
  ...overrides,
});

let dir: string;
/** Where the description is published: a fresh .run/platform.json per test. */
let file: string;
/** What the stand-in load balancer answers /health with. */
let status = 200;
let lb: Awaited<ReturnType<typeof healthServer>>;

beforeAll(async () => {
  lb = await healthServer(() => status);
});
afterAll(() => lb.close());
beforeEach(() => {
  status = 200;
  dir = mkdtempSync(join(tmpdir(), 'running-platform-'));
  file = join(dir, '.run', 'platform.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('findRunningPlatform: how every command finds the platform npm start runs', () => {
  it('reads back what was published, while its process lives and it answers /health', async () => {
    publishPlatform(describeAt(lb.url), file);
    await expect(findRunningPlatform({ file })).resolves.toEqual(describeAt(lb.url));
    await expect(findRunningPlatform({ file, build: 'real' })).resolves.toMatchObject({ url: lb.url, seed: 7 });
  });

  it('finds nothing once unpublished, or when nothing was', async () => {
    await expect(findRunningPlatform({ file })).resolves.toBeUndefined();
    publishPlatform(describeAt(lb.url), file);
    unpublishPlatform(file);
    await expect(findRunningPlatform({ file })).resolves.toBeUndefined();
  });

  it('ignores a description left behind by a process that is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    publishPlatform(describeAt(lb.url, { pid: gone }), file);
    await expect(findRunningPlatform({ file })).resolves.toBeUndefined();
  });

  it('ignores a platform that does not answer /health, or answers it unhealthy', async () => {
    status = 503;
    publishPlatform(describeAt(lb.url), file);
    await expect(findRunningPlatform({ file })).resolves.toBeUndefined();
    publishPlatform(describeAt('http://127.0.0.1:9'), file);
    await expect(findRunningPlatform({ file, healthTimeoutMs: 500 })).resolves.toBeUndefined();
  });

  it('asked for a build, finds only a platform of that build (an old description without one ran the real build)', async () => {
    publishPlatform(describeAt(lb.url, { build: 'seed' }), file);
    await expect(findRunningPlatform({ file, build: 'real' })).resolves.toBeUndefined();
    await expect(findRunningPlatform({ file, build: 'seed' })).resolves.toMatchObject({ build: 'seed' });
    const { build: _build, ...old } = describeAt(lb.url);
    writeFileSync(file, JSON.stringify(old));
    await expect(findRunningPlatform({ file, build: 'real' })).resolves.toMatchObject({ build: 'real' });
  });

  it('ignores a file cut short or not a description', async () => {
    publishPlatform(describeAt(lb.url), file);
    writeFileSync(file, '{"pid": 1, "url"');
    await expect(findRunningPlatform({ file })).resolves.toBeUndefined();
    writeFileSync(file, JSON.stringify({ pid: process.pid, url: lb.url }));
    await expect(findRunningPlatform({ file })).resolves.toBeUndefined();
  });
});
