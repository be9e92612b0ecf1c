import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import { runWithRequestContext } from '@imagery/aws-adapters';
import { accessLogMiddleware } from './access-log.middleware';
import { createRootLogger } from './platform-logger';

/** A request and response just real enough for the middleware: the response emits finish/close. */
function exchange(url: string, headers: Record<string, string> = {}) {
  const req = { method: 'GET', originalUrl: url, url, headers, socket: { remoteAddress: '127.0.0.1' }, id: 'rid-1' };
  const res = Object.assign(new EventEmitter(), { statusCode: 200 });
  return { req: req as unknown as Request, res: res as unknown as Response & EventEmitter };
}

describe('accessLogMiddleware', () => {
  const lines: string[] = [];
  const logger = createRootLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, 'api', {
    logDestination: { write: (s: string) => void lines.push(s) },
  });
  const log = accessLogMiddleware(logger);
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  beforeEach(() => (lines.length = 0));

  it('one line per response, once, with the request id, the redacted URL, the status and the time taken', () => {
    const { req, res } = exchange('/image/x?X-Amz-Signature=secret-sig', { 'user-agent': 'ua/1' });
    const next = jest.fn() as jest.Mock & NextFunction;
    log(req, res, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(lines).toHaveLength(0);
    res.statusCode = 404;
    runWithRequestContext({ requestId: 'rid-1', imageId: 'img-1' }, () => res.emit('finish'));
    res.emit('close');
    expect(entries()).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'request completed',
        requestId: 'rid-1',
        imageId: 'img-1',
        req: { method: 'GET', url: '/image/x?X-Amz-Signature=[REDACTED]', remoteAddress: '127.0.0.1', userAgent: 'ua/1' },
        res: { statusCode: 404 },
        responseTime: expect.any(Number) as unknown,
      }),
    ]);
    expect(lines.join('')).not.toContain('secret-sig');
    expect(lines[0].match(/"requestId"/g)).toHaveLength(1);
  });

  it('a 5xx is an error line; a client gone before the end is still logged', () => {
    const failed = exchange('/image/y');
    log(failed.req, failed.res, jest.fn());
    failed.res.statusCode = 503;
    failed.res.emit('finish');
    const gone = exchange('/image/z');
    log(gone.req, gone.res, jest.fn());
    gone.res.emit('close');
    expect(entries()).toEqual([
      expect.objectContaining({ level: 50, msg: 'request errored', res: { statusCode: 503 }, err: expect.objectContaining({}) as unknown }),
      expect.objectContaining({ level: 30, req: expect.objectContaining({ url: '/image/z' }) as unknown }),
    ]);
  });

  it('health probes and metrics scrapes are not logged', () => {
    for (const url of ['/health/ready', '/health/live?x=1', '/metrics']) {
      const { req, res } = exchange(url);
      log(req, res, jest.fn());
      res.emit('finish');
    }
    expect(lines).toHaveLength(0);
  });
});
