import {
  AlreadyUploadedError,
  DomainError,
  InvalidImageError,
  InvalidImageIdError,
  ImageNotFoundError,
  TransitionNotAllowedError,
  VersionConflictError,
} from '@imagery/domain';
import { HttpException } from '@nestjs/common';
import { UploadRequestError } from '../uploads/upload-request.error';

export interface ErrorMapping {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Seconds, for the Retry-After header of a 503 or 429. */
  readonly retryAfterSeconds?: number;
}

/** The one place errors become HTTP statuses. */
export function mapError(err: unknown): ErrorMapping {
  if (err instanceof UploadRequestError)
    return { status: err.status, code: err.code, message: err.message, retryAfterSeconds: err.retryAfterSeconds };
  // Optimistic locking lost every retry to concurrent writers: transient, so the client retries.
  if (err instanceof VersionConflictError)
    return { status: 503, code: 'version_conflict', message: `${err.message}; retry the same request`, retryAfterSeconds: 1 };
  if (err instanceof DomainError) return { status: domainStatus(err), code: domainCode(err), message: err.message };
  if (err instanceof HttpException) return fromHttpException(err);
  const bodyError = bodyParserError(err);
  if (bodyError) return bodyError;
  if (isDependencyFailure(err)) {
    return {
      status: 503,
      code: 'dependency_unavailable',
      message: 'a backing service is unavailable; retry the same request',
      retryAfterSeconds: 1,
    };
  }
  return { status: 500, code: 'internal_error', message: 'internal error' };
}

function domainStatus(err: DomainError): number {
  if (err instanceof InvalidImageIdError) return 400;
  if (err instanceof ImageNotFoundError) return 404;
  if (err instanceof TransitionNotAllowedError || err instanceof AlreadyUploadedError) return 409;
  if (err instanceof InvalidImageError) {
    if (err.reason === 'not_an_image') return 415;
    if (err.reason === 'too_large') return 413;
    return 422;
  }
  return 400;
}

function domainCode(err: DomainError): string {
  return err instanceof InvalidImageError ? err.reason : err.code;
}

const HTTP_CODES: Record<number, string> = {
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  429: 'too_many_requests',
};

function fromHttpException(err: HttpException): ErrorMapping {
  const status = err.getStatus();
  const body = err.getResponse();
  const message = typeof body === 'string' ? body : textOf((body as { message?: unknown }).message ?? err.message);
  const code = HTTP_CODES[status] ?? (status < 500 ? 'bad_request' : 'internal_error');
  return { status, code, message: status >= 500 ? 'internal error' : message };
}

/** The body parsers' own client errors (a JSON body too large or malformed), which carry a 4xx status. */
function bodyParserError(err: unknown): ErrorMapping | undefined {
  const e = err as { type?: unknown; status?: unknown; message?: unknown } | null;
  if (typeof e?.type !== 'string' || typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return undefined;
  return { status: e.status, code: HTTP_CODES[e.status] ?? 'bad_request', message: String(e.message) };
}

/** AWS SDK service errors (they carry $metadata) and network errors: transient, so 503. */
function isDependencyFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { $metadata?: unknown; code?: string; name?: string };
  return (
    e.$metadata !== undefined ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND'].includes(e.code ?? '') ||
    ['TimeoutError', 'AbortError'].includes(e.name ?? '')
  );
}

/** A response body's message as text: a validation pipe's list of messages joined, as String() joins an array. */
function textOf(message: unknown): string {
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(textOf).join(',');
  return JSON.stringify(message) ?? String(message);
}
