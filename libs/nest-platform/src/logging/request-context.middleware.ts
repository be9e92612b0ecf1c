import { runWithRequestContext } from '@imagery/aws-adapters';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

/**
 * Gives each HTTP request its id (the client's `x-request-id`, or a new one), echoes it in the
 * response, and runs the rest of the request inside the request context, so its logs, the faults
 * injected into its AWS calls and the message it sends to the worker all carry it.
 * Registered after the body parsers: they call `next` from stream events, outside any context.
 */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  (req as Request & { id?: string }).id = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  runWithRequestContext({ requestId }, next);
}
