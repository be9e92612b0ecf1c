import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import { eventually } from '@imagery/testing/eventually';
import { LocalPlatform, startLocalPlatform } from './local-platform';
import { makeJpeg } from '@imagery/testing/platform/test-images';

/** What GET /image/:id answers, as far as this test reads it. */
interface ImageItem {
  readonly state: string;
  readonly processedImage?: string;
}

/**
 * What `npm start` runs — the emulator, the stack from infra/data.yaml, the built API and worker
 * as separate processes — on free ports, driven like a user would: create, upload, see it sepia.
 */
describe('the local platform (npm start)', () => {
  let platform: LocalPlatform;

  beforeAll(async () => {
    if (!existsSync(join(repoRoot(), 'dist/apps/api/src/main.js'))) throw new Error('run `npm run build` first (npm test does)');
    // 0: each server picks its own port and picks again if it is taken before it binds
    platform = await startLocalPlatform({
      host: '127.0.0.1',
      apiPort: 0,
      workerPort: 0,
      emulatorPort: 0,
      stackName: 'imagery-smoke',
      quiet: true,
    });
  }, 90_000);
  afterAll(() => platform?.stop());

  it('turns an uploaded JPEG sepia within seconds, and the browser URL serves it', async () => {
    const id = randomUUID();
    expect((await fetch(`${platform.url}/image/${id}`, { method: 'PUT' })).status).toBe(201);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await makeJpeg(640, 480))], { type: 'image/jpeg' }), 'photo.jpg');
    const uploaded = await fetch(`${platform.url}/image/${id}/upload`, {
      method: 'POST',
      body: form,
      headers: { accept: 'application/json' },
    });
    expect(uploaded.status).toBe(200);

    const processed = async () => {
      const item = (await (await fetch(`${platform.url}/image/${id}`)).json()) as ImageItem;
      return item.state === 'processed' ? item : undefined;
    };
    const item = await eventually(processed, 10_000, 'the image processed');
    expect(item.state).toBe('processed');
    const image = await fetch(item.processedImage!);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect((await fetch(`${platform.url}/`)).status).toBe(200);
  });
});
