import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestApi, startTestApi } from '@imagery/testing/platform/test-platform';
import { eventually } from '@imagery/testing/eventually';
import { makeJpeg, makePixelBomb, makePng } from '@imagery/testing/platform/test-images';
import { asJson, call, uploadForm } from '@imagery/testing/api/api-client';
import { fdSnapshot } from '@imagery/testing/api/fd-probe';
import { BOUNDARY, RawRequest, multipartBody, uploadHead } from '@imagery/testing/api/raw-http';

const LIMIT = 512 * 1024;

interface Outcome {
  readonly name: string;
  readonly status: number;
}

/**
 * Every route fed every kind of bad input at once, counted: the suite states how many cases it
 * ran, and asserts zero 5xx, zero crashes (the process answers at the end) and zero leaked
 * descriptors or spool files.
 */
describe('bad-input matrix', () => {
  let api: TestApi;
  let spoolDir: string;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    spoolDir = mkdtempSync(join(tmpdir(), 'imagery-bad-input-'));
    api = await startTestApi({ UPLOAD_SPOOL_DIR: spoolDir, MAX_UPLOAD_BYTES: String(LIMIT), MAX_INPUT_PIXELS: '50000000' });
  });
  afterAll(async () => {
    await api?.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  const record = (name: string, status: number) => outcomes.push({ name, status });
  const created = async () => {
    const id = randomUUID();
    expect((await call(`${api.url}/image/${id}`, { method: 'PUT' })).status).toBe(201);
    return id;
  };
  /** One request: a JSON error body whenever the status is an error the app (not Node) produced. */
  async function send(name: string, path: string, init: RequestInit = {}): Promise<number> {
    const res = await call(`${api.url}${path}`, { ...init, signal: AbortSignal.timeout(20_000) });
    record(name, res.status);
    if (res.status >= 400 && res.status !== 431)
      expect(res.body).toMatchObject({ statusCode: res.status, error: expect.any(String) as unknown });
    return res.status;
  }

  it('malformed ids on every route', async () => {
    const ids = [
      'not-a-uuid',
      '1234',
      '00000000-0000-0000-0000-000000000000',
      '%00',
      '..%2F..%2Fetc%2Fpasswd',
      'a'.repeat(2000),
      '0b6f4c1e-8a3d-0c6e-9f2a-1d2e3f4a5b6c',
      '%E2%80%AE',
      "x'%20OR%201=1",
      '%F0%9F%92%A9',
      '%ZZ',
      '0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c%0A',
    ];
    const jpeg = await makeJpeg(40, 30);
    for (const id of ids) {
      for (const [method, suffix] of [
        ['PUT', ''],
        ['GET', ''],
        ['POST', '/upload'],
        ['GET', '/upload'],
      ] as const) {
        const status = await send(`${method} /image/${id.slice(0, 20)}${suffix}`, `/image/${id}${suffix}`, {
          method,
          ...(method === 'POST' ? { body: uploadForm(jpeg), headers: asJson } : {}),
        });
        expect(status).toBe(400);
      }
    }
  });

  it('wrong methods on every known path', async () => {
    const id = randomUUID();
    for (const path of ['/image', `/image/${id}`, `/image/${id}/upload`, '/health', '/health/ready', '/health/live', '/metrics']) {
      for (const method of ['DELETE', 'PATCH', 'OPTIONS']) {
        expect(await send(`${method} ${path}`, path, { method })).toBe(405);
      }
    }
    for (const path of ['/nope', '/image/x/y/z', '/images']) expect(await send(`GET ${path}`, path)).toBe(404);
  });

  it('bad headers: content types, huge and many headers, odd Accept, bad request ids, bad JSON', async () => {
    const id = await created();
    const jpeg = await makeJpeg(40, 30);
    const up = `/image/${id}/upload`;
    for (const type of [
      'text/plain',
      'application/json',
      'image/jpeg',
      'application/x-www-form-urlencoded',
      'multipart/mixed; boundary=x',
      'multipart/form-data',
      'multipart/form-data; boundary=',
      'multipart/form-data; boundary="unterminated',
      '',
    ]) {
      const status = await send(`upload as ${type || 'no type'}`, up, {
        method: 'POST',
        body: jpeg.toString('latin1'),
        headers: { ...asJson, 'content-type': type },
      });
      expect([400, 415]).toContain(status);
    }
    expect(await send('a 40 KB header', `/image/${id}`, { headers: { 'x-junk': 'x'.repeat(40_000) } })).toBe(431);
    const many = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`x-h${i}`, 'v']));
    expect(await send('150 headers', `/image/${id}`, { headers: many })).toBe(200);
    expect(await send('Accept: nonsense', `/image/${id}`, { headers: { accept: 'x/y;q=bogus, */*;q=-1' } })).toBe(200);
    expect(await send('bad x-request-id', `/image/${id}`, { headers: { 'x-request-id': '\u0000'.replace('\u0000', '%00') + '<x>' } })).toBe(
      200,
    );
    for (const body of ['{', '{"a":', 'null', '[]', '"x"']) {
      const status = await send(`POST /image with JSON ${body}`, '/image', {
        method: 'POST',
        body,
        headers: { ...asJson, 'content-type': 'application/json' },
      });
      expect([201, 400]).toContain(status);
    }
    expect(
      await send('a JSON body over 100 KB', '/image', {
        method: 'POST',
        body: JSON.stringify({ x: 'y'.repeat(200_000) }),
        headers: { ...asJson, 'content-type': 'application/json' },
      }),
    ).toBe(413);
  });

  it('multipart shapes: no boundary, two files, wrong field, empty part, fields only, too many parts', async () => {
    const jpeg = await makeJpeg(60, 40);
    const raw = (parts: string[]) => Buffer.from(parts.join('') + `--${BOUNDARY}--\r\n`, 'latin1');
    const part = (name: string, content: string, filename?: string) =>
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"` +
      `${filename !== undefined ? `; filename="${filename}"` : ''}\r\n\r\n${content}\r\n`;
    const jpegText = jpeg.toString('latin1');
    const shapes: [string, Buffer, number[]][] = [
      ['empty body', Buffer.alloc(0), [400]],
      ['only the closing boundary', raw([]), [400]],
      ['a field, no file', raw([part('note', 'hello')]), [400]],
      ['wrong field name', raw([part('picture', jpegText, 'x.jpg')]), [400]],
      ['an empty file part', raw([part('file', '', 'x.jpg')]), [422]],
      ['a file part without filename (a plain field)', raw([part('file', jpegText)]), [400]],
      ['two files', raw([part('file', jpegText, 'a.jpg'), part('file', jpegText, 'b.jpg')]), [200]],
      [
        'thirty fields then the file',
        raw([...Array.from({ length: 30 }, (_, i) => part(`f${i}`, 'v')), part('file', jpegText, 'x.jpg')]),
        [200, 400],
      ],
      [
        'a boundary that never closes',
        Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\nabc`),
        [400],
      ],
      ['garbage', randomBytes(2048), [400]],
      ['a part without headers', Buffer.from(`--${BOUNDARY}\r\n\r\nxyz\r\n--${BOUNDARY}--\r\n`), [400]],
    ];
    for (const [name, body, expected] of shapes) {
      const id = await created();
      const status = await send(`multipart: ${name}`, `/image/${id}/upload`, {
        method: 'POST',
        body: new Uint8Array(body),
        headers: { ...asJson, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      });
      expect({ name, allowed: expected.includes(status) ? 'yes' : status }).toEqual({ name, allowed: 'yes' });
    }
  });

  it('truncated, polyglot and bomb files', async () => {
    const jpeg = await makeJpeg(200, 150);
    const png = await makePng(64, 64);
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), randomBytes(200)]);
    const files: [string, Buffer, number[]][] = [
      ['JPEG cut at 10 %', jpeg.subarray(0, jpeg.length * 0.1), [415, 422]],
      ['JPEG cut at 90 %', jpeg.subarray(0, jpeg.length * 0.9), [422]],
      ['PNG cut in half', png.subarray(0, png.length / 2), [415, 422]],
      ['JPEG + ZIP polyglot', Buffer.concat([jpeg, zip]), [200, 422]],
      ['ZIP + JPEG', Buffer.concat([zip, jpeg]), [415]],
      ['PNG with an HTML tail', Buffer.concat([png, Buffer.from('<script>alert(1)</script>')]), [200, 422]],
      ['HTML claiming to be a JPEG', Buffer.from('<html><script>alert(1)</script></html>'), [415]],
      // libjpeg decodes corrupt entropy data as noise (with warnings): an image of noise is still an image
      ['a JPEG header and random bytes', Buffer.concat([jpeg.subarray(0, 600), randomBytes(5000)]), [200, 415, 422]],
      ['a 400 MP pixel bomb', makePixelBomb(20_000), [422]],
      ['one byte over the limit', Buffer.alloc(LIMIT + 1, 0xff), [413]],
      ['SVG with a script', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), [415]],
    ];
    for (const [name, bytes, expected] of files) {
      const id = await created();
      const status = await send(`file: ${name}`, `/image/${id}/upload`, { method: 'POST', body: uploadForm(bytes), headers: asJson });
      expect({ name, allowed: expected.includes(status) ? 'yes' : status }).toEqual({ name, allowed: 'yes' });
    }
  });

  it('slow and aborted bodies', async () => {
    const jpeg = await makeJpeg(80, 60);
    // slow: the whole upload a few bytes at a time over about a second
    const id = await created();
    const body = multipartBody(jpeg);
    const slow = new RawRequest(api.url, uploadHead(api.url, `/image/${id}/upload`, body.all.length));
    const step = Math.ceil(body.all.length / 40);
    for (let i = 0; i < body.all.length; i += step) {
      await slow.write(body.all.subarray(i, i + step));
      await new Promise((r) => setTimeout(r, 25));
    }
    await slow.answered();
    await eventually(() => slow.peek(), 5_000, 'the slow upload answered');
    record('slow body', slow.peek()!.status);
    expect(slow.peek()!.status).toBe(200);
    slow.abort();
    // aborted at several points, and one declaring more than it sends
    for (const [name, cut] of [
      ['aborted in the headers', 20],
      ['aborted mid-file', body.head.length + 500],
      ['aborted before the last boundary', body.all.length - 5],
    ] as const) {
      const req = new RawRequest(api.url, uploadHead(api.url, `/image/${await created()}/upload`, body.all.length));
      await req.write(body.all.subarray(0, cut));
      await new Promise((r) => setTimeout(r, 50));
      req.abort();
      record(name, 499); // no response by design: the client left
    }
  });

  it('concurrent retries of the same requests', async () => {
    const id = randomUUID();
    const puts = await Promise.all(Array.from({ length: 8 }, () => send('concurrent PUT', `/image/${id}`, { method: 'PUT' })));
    expect(puts.filter((s) => s === 201).length + puts.filter((s) => s === 200).length).toBe(8);
    const jpeg = await makeJpeg(100, 80);
    const uploads = await Promise.all(
      Array.from({ length: 8 }, () =>
        send('concurrent upload', `/image/${id}/upload`, { method: 'POST', body: uploadForm(jpeg), headers: asJson }),
      ),
    );
    expect(uploads).toEqual(Array(8).fill(200));
  });

  it('states its figures: cases, no 5xx, the process alive, nothing leaked', async () => {
    expect((await call(`${api.url}/health/live`)).status).toBe(200);
    const leftovers = await eventually(
      () => {
        const s = fdSnapshot(spoolDir);
        return s.spool === 0 && s.spoolFiles === 0 ? s : undefined;
      },
      10_000,
      'no spool descriptors or files',
    );
    const byStatus = outcomes.reduce<Record<number, number>>((acc, o) => ({ ...acc, [o.status]: (acc[o.status] ?? 0) + 1 }), {});
    const fivexx = outcomes.filter((o) => o.status >= 500 && o.status !== 499);
    console.log(
      `bad-input matrix: ${outcomes.length} cases; by status ${JSON.stringify(byStatus)}; 5xx: ${fivexx.length}; ` +
        `spool descriptors ${leftovers.spool}, spool files ${leftovers.spoolFiles}`,
    );
    expect(outcomes.length).toBeGreaterThanOrEqual(130);
    expect(fivexx).toEqual([]);
  });
});
