import { processedKeyOf } from '@imagery/domain';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TestApi, TestWorker, startTestApi, startTestWorker } from '@imagery/testing/platform/test-platform';
import { eventually } from '@imagery/testing/eventually';
import { makeJpeg } from '@imagery/testing/platform/test-images';
import { asJson, call, uploadForm } from '@imagery/testing/api/api-client';

/**
 * One upload followed through the logs: the API's access log and the worker's job lines carry
 * the client's request id (sent to the worker inside the message), and nothing secret is logged.
 */
describe('logs an operator can follow', () => {
  const lines: string[] = [];
  const logDestination = { write: (s: string) => void lines.push(s) };
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    api = await startTestApi({ LOG_LEVEL: 'info' }, { logDestination });
    worker = await startTestWorker({ LOG_LEVEL: 'info', REPAIR_STUCK_AFTER_MS: '600000' }, { logDestination });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  /** A log line's fields these tests look for (undefined when a line has another shape); the rest are kept as they are. */
  const logEntry = z
    .object({
      requestId: z.string().optional().catch(undefined),
      msg: z.string().optional().catch(undefined),
      req: z.object({ method: z.string() }).passthrough().optional().catch(undefined),
    })
    .passthrough();
  const entries = () => lines.flatMap((l) => l.split('\n').filter(Boolean)).map((l) => logEntry.parse(JSON.parse(l)));

  it('the request id goes from the access log to the worker, and secrets stay out', async () => {
    const requestId = `trace-${randomUUID()}`;
    const id = randomUUID();
    expect((await call(`${api.url}/image/${id}`, { method: 'PUT' })).status).toBe(201);
    const upload = await call(`${api.url}/image/${id}/upload`, {
      method: 'POST',
      body: uploadForm(await makeJpeg(120, 90)),
      headers: { ...asJson, 'x-request-id': requestId, authorization: 'Bearer hunter2-secret' },
    });
    expect(upload.status).toBe(200);
    expect(upload.headers.get('x-request-id')).toBe(requestId);

    const processed = await eventually(
      async () => {
        const res = await call(`${api.url}/image/${id}?X-Amz-Signature=sig-in-query&X-Amz-Credential=AKIAQUERY`);
        return res.body.state === 'processed' ? res : undefined;
      },
      30_000,
      'processed',
    );
    expect(String(processed.body.processedImage)).toContain(processedKeyOf(id));

    const access = await eventually(
      () => entries().find((e) => e.requestId === requestId && e.req?.method === 'POST'),
      5_000,
      'access log line',
    );
    expect(access).toMatchObject({ level: 30, role: 'api', res: { statusCode: 200 }, req: { url: `/image/${id}/upload` } });
    expect(access.responseTime).toEqual(expect.any(Number));

    const job = await eventually(
      () => entries().find((e) => e.requestId === requestId && /: processed$/.test(e.msg ?? '')),
      10_000,
      'worker job line',
    );
    expect(job).toMatchObject({ imageId: id, context: 'Job' });

    const all = lines.join('');
    expect(all).not.toMatch(/hunter2-secret|sig-in-query|AKIAQUERY/);
    expect(all).toContain('X-Amz-Signature=[REDACTED]');
  });
});
