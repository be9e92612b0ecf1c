import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecoratedRequestHandler } from '@imagery/aws-adapters';
import { TestApi, startTestApi } from '@imagery/testing/platform/test-platform';
import { eventually } from '@imagery/testing/eventually';
import { makeJpeg } from '@imagery/testing/platform/test-images';
import { asJson, call, uploadForm } from '@imagery/testing/api/api-client';
import { FdSnapshot, fdSnapshot } from '@imagery/testing/api/fd-probe';
import { RawRequest, chunk, multipartBody, uploadHead } from '@imagery/testing/api/raw-http';

const LIMIT = 256 * 1024;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Aborted and refused uploads leave nothing behind: no descriptor on a spool file (removed or
 * not), no file in the spool directory, whatever the point the client gave up at. The API runs in
 * this process, so /proc/self/fd is its descriptor table.
 */
describe('uploads cannot leak', () => {
  let spoolDir: string;
  let api: TestApi;
  let slowStores = false;

  beforeAll(async () => {
    spoolDir = mkdtempSync(join(tmpdir(), 'imagery-spool-test-'));
    api = await startTestApi(
      { UPLOAD_SPOOL_DIR: spoolDir, MAX_UPLOAD_BYTES: String(LIMIT), MAX_UPLOADS_IN_FLIGHT: '64' },
      {
        // "During processing" aborts need the upload to still be storing when the client leaves.
        wrapRequestHandler: (service, real) =>
          new DecoratedRequestHandler(real, async (request, send) => {
            if (slowStores && service === 's3') await settle(400);
            return send();
          }),
      },
    );
  });
  afterAll(async () => {
    await api?.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  const created = async () => {
    const id = randomUUID();
    expect((await call(`${api.url}/image/${id}`, { method: 'PUT' })).status).toBe(201);
    return id;
  };
  const clean = (what: string) =>
    eventually(
      () => {
        const s = fdSnapshot(spoolDir);
        return s.spool === 0 && s.spoolFiles === 0 ? s : undefined;
      },
      10_000,
      `no spool file or descriptor left (${what})`,
    );

  /** Sends `prefix` of a full upload of `file` (declared length: the whole body), then cuts the connection. */
  async function abortAfter(id: string, file: Buffer, prefix: (body: ReturnType<typeof multipartBody>) => Buffer, waitForSpool: boolean) {
    const body = multipartBody(file);
    const req = new RawRequest(api.url, uploadHead(api.url, `/image/${id}/upload`, body.all.length));
    await req.write(prefix(body));
    if (waitForSpool) await eventually(() => (readdirSync(spoolDir).length > 0 ? true : undefined), 5_000, 'the spool file to exist');
    else await settle(50);
    req.abort();
  }

  const noise = randomBytes(200 * 1024);
  it.each<[string, (b: ReturnType<typeof multipartBody>) => Buffer, boolean]>([
    ['after the headers, before any body byte', () => Buffer.alloc(0), false],
    ['inside the part headers', (b) => b.head.subarray(0, 40), false],
    ['in the middle of the file', (b) => Buffer.concat([b.head, b.file.subarray(0, 100 * 1024)]), true],
    ['after the file, before the closing boundary', (b) => Buffer.concat([b.head, b.file]), true],
  ])('a client aborting %s leaves no descriptor and no file', async (_, prefix, waitForSpool) => {
    const before = fdSnapshot(spoolDir);
    await abortAfter(await created(), noise, prefix, waitForSpool);
    const after = await clean('abort');
    expect(after.deletedButOpen).toBeLessThanOrEqual(before.deletedButOpen);
  });

  it('a client aborting while the upload is being checked and stored leaves nothing either', async () => {
    const jpeg = await makeJpeg(300, 200);
    const id = await created();
    slowStores = true;
    try {
      const body = multipartBody(jpeg);
      const req = new RawRequest(api.url, uploadHead(api.url, `/image/${id}/upload`, body.all.length));
      await req.write(body.all);
      await settle(150); // spooled, now inspecting and storing (S3 slowed down)
      req.abort();
      await settle(1_500);
    } finally {
      slowStores = false;
    }
    await clean('abort during processing');
  });

  it('a soak of 300 aborted uploads keeps descriptors and disk flat', async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, created));
    const points = [
      (b: ReturnType<typeof multipartBody>) => b.head.subarray(0, 30),
      (b: ReturnType<typeof multipartBody>) => Buffer.concat([b.head, b.file.subarray(0, 64 * 1024)]),
      (b: ReturnType<typeof multipartBody>) => Buffer.concat([b.head, b.file]),
    ];
    await settle(200);
    const before = fdSnapshot(spoolDir);
    const ROUNDS = 15;
    const PER_ROUND = 20;
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        Array.from({ length: PER_ROUND }, async (_, i) => {
          const body = multipartBody(noise);
          const req = new RawRequest(api.url, uploadHead(api.url, `/image/${ids[i % ids.length]}/upload`, body.all.length));
          await req.write(points[(round + i) % points.length](body));
          await settle(30);
          req.abort();
        }),
      );
    }
    const after = await clean('soak');
    await settle(300);
    const final = fdSnapshot(spoolDir);
    const report = (s: FdSnapshot) =>
      `descriptors ${s.total}, on spool files ${s.spool}, deleted-but-open ${s.deletedButOpen}, ` +
      `spool files ${s.spoolFiles} (${s.spoolBytes} bytes)`;
    console.log(`abort soak, ${ROUNDS * PER_ROUND} aborted uploads:\n  before: ${report(before)}\n  after:  ${report(final)}`);
    expect(after.spool).toBe(0);
    expect(final.spoolFiles).toBe(0);
    expect(final.spoolBytes).toBe(0);
    expect(final.deletedButOpen).toBeLessThanOrEqual(before.deletedButOpen);
    // Room for a few pooled keep-alive sockets to the emulator; a leak would be hundreds.
    expect(final.total - before.total).toBeLessThanOrEqual(10);
  });

  it('a chunked body without Content-Length is cut at the size limit as it streams: 413 at once, not at its end', async () => {
    const id = await created();
    const req = new RawRequest(api.url, uploadHead(api.url, `/image/${id}/upload`, undefined));
    const started = Date.now();
    await req.write(chunk(multipartBody(noise).head));
    let sent = 0;
    // An endless body: keep sending until the server answers (or 10 s pass, which fails below).
    while (!req.hasResponse && Date.now() - started < 10_000) {
      await req.write(chunk(randomBytes(16 * 1024)));
      sent += 16 * 1024;
      await settle(15); // stop as soon as the answer is in: writing on after the server closed would reset the connection and lose it
    }
    await req.answered();
    const res = req.peek();
    req.abort();
    expect(res?.status).toBe(413);
    expect(JSON.parse(res!.body)).toMatchObject({ statusCode: 413, error: 'payload_too_large' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(sent).toBeLessThan(LIMIT * 4); // cut near the limit, not after the whole "file"
    await clean('413');
  });
});

describe('uploads in flight are capped per instance', () => {
  let api: TestApi;
  let spoolDir: string;

  beforeAll(async () => {
    spoolDir = mkdtempSync(join(tmpdir(), 'imagery-spool-cap-'));
    api = await startTestApi({ UPLOAD_SPOOL_DIR: spoolDir, MAX_UPLOADS_IN_FLIGHT: '2' });
  });
  afterAll(async () => {
    await api?.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('past the cap: 503 too_many_uploads with Retry-After; a slot freed by an abort is usable again', async () => {
    const ids = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const id = randomUUID();
        await call(`${api.url}/image/${id}`, { method: 'PUT' });
        return id;
      }),
    );
    const jpeg = await makeJpeg(200, 150);
    const hanging = ids.slice(0, 2).map((id) => {
      const body = multipartBody(jpeg);
      const req = new RawRequest(api.url, uploadHead(api.url, `/image/${id}/upload`, body.all.length));
      void req.write(Buffer.concat([body.head, jpeg.subarray(0, 1000)])); // and then nothing: a slow client
      return req;
    });
    await eventually(() => (readdirSync(spoolDir).length === 2 ? true : undefined), 5_000, 'two uploads in flight');

    const refused = await call(`${api.url}/image/${ids[2]}/upload`, { method: 'POST', body: uploadForm(jpeg), headers: asJson });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ statusCode: 503, error: 'too_many_uploads' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    hanging.forEach((r) => r.abort());
    const accepted = await eventually(
      async () => {
        const res = await call(`${api.url}/image/${ids[2]}/upload`, { method: 'POST', body: uploadForm(jpeg), headers: asJson });
        return res.status === 200 ? res : undefined;
      },
      5_000,
      'a freed slot',
    );
    expect(accepted.body).toMatchObject({ id: ids[2], state: 'uploaded' });
  });
});
