import { ArgumentsHost, Catch, ExceptionFilter, Logger, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { allowedMethods } from '../http/allowed-methods';
import { mapError } from './error-status';

/**
 * Every error leaves as JSON `{statusCode, error, message}`; only real faults are logged as
 * errors, with their detail (which the client never sees).
 */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(err: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const mapped = mapError(err);
    const { retryAfterSeconds } = mapped;
    let { status, code, message } = mapped;
    if (status >= 500) this.logger.error(`${code}: ${(err as Error)?.message ?? err}`, (err as Error)?.stack);
    if (res.headersSent) return void res.end();
    if (err instanceof NotFoundException) {
      // A known path with another method: 405 with the methods it does take.
      const allow = allowedMethods(req);
      if (allow.length > 0 && !allow.includes(req.method)) {
        res.setHeader('Allow', allow.join(', '));
        ({ status, code, message } = {
          status: 405,
          code: 'method_not_allowed',
          message: `${req.method} is not allowed on ${req.path}; allowed: ${allow.join(', ')}`,
        });
      }
    }
    if (retryAfterSeconds !== undefined && !res.getHeader('Retry-After')) res.setHeader('Retry-After', String(retryAfterSeconds));
    // The client may still be sending a body we will not read; closing is cleaner than draining it.
    if (status === 413 || (status === 503 && code === 'too_many_uploads')) res.setHeader('Connection', 'close');
    // A handler may have set another type (the HTML upload form) before it failed.
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.status(status).json({ statusCode: status, error: code, message });
  }
}
