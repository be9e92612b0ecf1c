import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@imagery/kernel/repo-root';
import { TestApi, startTestApi } from '@imagery/testing/platform/test-platform';
import { call } from '@imagery/testing/api/api-client';
import { startNodeServer } from '@imagery/testing/run-node';

const crashRule = (when: 'before' | 'after') => ({
  id: `crash-${when}`,
  service: 'dynamodb',
  operations: ['PutItem'],
  fault: { kind: 'crash', when },
});

describe('chaos mode', () => {
  describe('enabled', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ CHAOS_MODE: 'true', CHAOS_SEED: '3' });
    });
    afterAll(() => api.close());

    it('serves fault control to loopback clients: rules replace, apply, show in metrics, and clear', async () => {
      expect((await call(`${api.url}/_chaos/faults`)).body).toEqual([]);
      const rules = [{ id: 'down', service: 'dynamodb', operations: ['PutItem'], fault: { kind: 'unavailable' }, source: 'test' }];
      const put = await call(`${api.url}/_chaos/faults`, {
        method: 'PUT',
        body: JSON.stringify(rules),
        headers: { 'content-type': 'application/json' },
      });
      expect(put.status).toBe(200);
      expect(put.body).toEqual([expect.objectContaining({ id: 'down', percentage: 100 })]);

      const broken = await call(`${api.url}/image/${randomUUID()}`, { method: 'PUT' });
      expect(broken.status).toBe(503);

      const metrics = (await call<string>(`${api.url}/metrics`)).body;
      expect(metrics).toMatch(
        /imagery_faults_injected_total\{[^}]*kind="unavailable"[^}]*service="dynamodb"[^}]*operation="PutItem"[^}]*\} [1-9]/,
      );
      expect(metrics).toMatch(/imagery_aws_calls_total\{[^}]*operation="PutItem",outcome="503"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/imagery_http_requests_total\{[^}]*route="\/image\/:id",method="PUT",status="503"/);

      await call(`${api.url}/_chaos/faults`, { method: 'PUT', body: '[]', headers: { 'content-type': 'application/json' } });
      expect((await call(`${api.url}/image/${randomUUID()}`, { method: 'PUT' })).status).toBe(201);
    });

    it('refuses malformed rules with 400', async () => {
      const res = await call(`${api.url}/_chaos/faults`, {
        method: 'PUT',
        body: JSON.stringify([{ id: 'x', service: 'ec2', fault: { kind: 'internal-error' } }]),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('invalid fault rules') as unknown });
    });
  });

  it('off by default: no fault control endpoint', async () => {
    const api = await startTestApi();
    try {
      expect((await call(`${api.url}/_chaos/faults`)).status).toBe(404);
      expect((await call(`${api.url}/metrics`)).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('refused in a production build, and FAULT_RULES without chaos mode is refused', async () => {
    await expect(startTestApi({ CHAOS_MODE: 'true', NODE_ENV: 'production' })).rejects.toThrow(/refused in a production build/);
    await expect(startTestApi({ FAULT_RULES: JSON.stringify([crashRule('before')]) })).rejects.toThrow(/needs CHAOS_MODE/);
  });

  describe('a crash rule really ends the process at that point', () => {
    const main = join(repoRoot(), 'dist/apps/api/src/main.js');

    async function crashOnce(when: 'before' | 'after'): Promise<{ signal: string | null; stored: number }> {
      if (!existsSync(main)) throw new Error('run `npm run build` first (npm test does)');
      const { child: api, url } = await startNodeServer('api', main, (port) => ({
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        CHAOS_MODE: 'true',
        AWS_MAX_ATTEMPTS: '1',
        FAULT_RULES: JSON.stringify([crashRule(when)]),
      }));
      try {
        const id = randomUUID();
        const answer = await fetch(`${url}/image/${id}`, { method: 'PUT' }).then(
          (r) => r.status,
          () => 'no answer',
        );
        expect(answer).toBe('no answer');
        const { signal } = await api.exited;
        const survivor = await startTestApi();
        const stored = (await call(`${survivor.url}/image/${id}`)).status === 200 ? 1 : 0;
        await survivor.close();
        return { signal, stored };
      } finally {
        api.kill('SIGKILL');
      }
    }

    it('crash before PutItem: killed, nothing stored', async () => {
      expect(await crashOnce('before')).toEqual({ signal: 'SIGKILL', stored: 0 });
    });

    it('crash after PutItem: killed, the item was stored', async () => {
      expect(await crashOnce('after')).toEqual({ signal: 'SIGKILL', stored: 1 });
    });
  });
});
