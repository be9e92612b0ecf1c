import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { mapError } from './error-status';

/** Every error leaves as JSON `{statusCode, error, message}`; only real faults are logged as errors. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, code, message } = mapError(err);
    if (status >= 500) this.logger.error(`${code}: ${(err as Error)?.message ?? err}`, (err as Error)?.stack);
    if (res.headersSent) return void res.end();
    // The client may still be sending a body we will not read; closing is cleaner than draining it.
    if (status === 413) res.setHeader('Connection', 'close');
    res.status(status).json({ statusCode: status, error: code, message });
  }
}
