import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { redactText } from './redaction';

/** Probes that run every second or two; logging each would drown the access log. */
const UNLOGGED = new Set(['/health/live', '/health/ready', '/metrics']);

const pathOf = (url: string): string => {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
};

/**
 * One access-log line per response (method, redacted URL, status, duration, request id), written
 * to the root logger once the response ends or the client goes away. Deliberately not pino-http:
 * that built two child loggers and serialized the request on every request, most of the logging
 * cost of a read. The request id is the one the request-context middleware gave the request.
 */
export function accessLogMiddleware(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const url = req.originalUrl ?? req.url;
    if (UNLOGGED.has(pathOf(url))) return next();
    const started = Date.now();
    let logged = false;
    const onEnd = (): void => {
      if (logged) return;
      logged = true;
      const status = res.statusCode;
      const line = {
        requestId: idText((req as Request & { id?: unknown }).id),
        req: {
          method: req.method,
          url: redactText(url),
          remoteAddress: req.socket?.remoteAddress,
          userAgent: req.headers['user-agent'],
          contentLength: req.headers['content-length'],
        },
        res: { statusCode: status },
        responseTime: Date.now() - started,
      };
      if (status >= 500) logger.error({ ...line, err: { type: 'Error', message: `failed with status code ${status}` } }, 'request errored');
      else if (status >= 400) logger.warn(line, 'request completed');
      else logger.info(line, 'request completed');
    };
    res.once('finish', onEnd);
    res.once('close', onEnd);
    next();
  };
}

/** The request id a middleware set on the request, as text ('' when none). */
function idText(id: unknown): string {
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}
