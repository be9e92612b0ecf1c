import { createRootLogger } from './platform-logger';
import { redactText } from './redaction';
import { requestIdFrom } from './request-id';
import { runWithRequestContext } from '@imagery/aws-adapters';

const PRESIGNED =
  'http://127.0.0.1:4568/bucket/processed/x.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
  '&X-Amz-Credential=AKIAEXAMPLE%2F20261201%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261201T000000Z' +
  '&X-Amz-Security-Token=tok123&X-Amz-Signature=deadbeef&X-Amz-SignedHeaders=host';

describe('log redaction', () => {
  it('removes the signing parts of a presigned URL and keeps the rest readable', () => {
    const out = redactText(`rendered ${PRESIGNED} ok`);
    expect(out).not.toMatch(/AKIAEXAMPLE|deadbeef|tok123/);
    expect(out).toContain('X-Amz-Signature=[REDACTED]');
    expect(out).toContain('X-Amz-Credential=[REDACTED]');
    expect(out).toContain('/bucket/processed/x.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256');
    expect(out.endsWith(' ok')).toBe(true);
  });

  it('removes secrets written inline', () => {
    expect(redactText('aws_secret_access_key=abc123xyz and {"secretAccessKey":"s3cr3t"}')).not.toMatch(/abc123xyz|s3cr3t/);
  });

  it('the logger redacts messages, credential fields and authorization headers, and adds the request context', () => {
    const lines: string[] = [];
    const logger = createRootLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, 'worker', {
      logDestination: { write: (s: string) => void lines.push(s) },
    });
    runWithRequestContext({ requestId: 'req-1', imageId: 'img-1' }, () => {
      logger.info({ credentials: { accessKeyId: 'AKIAXXXX', secretAccessKey: 'zzz' } }, `got ${PRESIGNED}`);
      logger.info({ req: { headers: { authorization: 'Bearer hunter2' } } }, 'request');
    });
    logger.info('outside');
    const entries = lines.map((l) => JSON.parse(l) as unknown);
    expect(lines.join('')).not.toMatch(/AKIAXXXX|zzz|hunter2|deadbeef|AKIAEXAMPLE/);
    expect(entries[0]).toMatchObject({ requestId: 'req-1', imageId: 'img-1', role: 'worker' });
    expect(entries[1]).toMatchObject({ req: { headers: { authorization: '[REDACTED]' } } });
    expect(entries[2]).not.toHaveProperty('requestId');
  });
});

describe('requestIdFrom', () => {
  it('keeps a sane client id and replaces anything else with a UUID', () => {
    expect(requestIdFrom('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    for (const bad of [undefined, '', 'a b', 'x'.repeat(129), 'a\r\nSet-Cookie: x', '<script>']) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
