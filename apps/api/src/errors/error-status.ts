import { AlreadyUploadedError, DomainError, InvalidImageError, InvalidImageIdError, ImageNotFoundError, TransitionNotAllowedError, VersionConflictError } from '@imagery/domain';
import { HttpException } from '@nestjs/common';
import { UploadRequestError } from '../uploads/upload-request.error';

export interface ErrorMapping {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** The one place errors become HTTP statuses. */
export function mapError(err: unknown): ErrorMapping {
  if (err instanceof UploadRequestError) return { status: err.status, code: err.code, message: err.message };
  if (err instanceof DomainError) return { status: domainStatus(err), code: domainCode(err), message: err.message };
  if (err instanceof HttpException) return fromHttpException(err);
  if (isDependencyFailure(err)) {
    return { status: 503, code: 'dependency_unavailable', message: 'a backing service is unavailable; retry the same request' };
  }
  return { status: 500, code: 'internal_error', message: 'internal error' };
}

function domainStatus(err: DomainError): number {
  if (err instanceof InvalidImageIdError) return 400;
  if (err instanceof ImageNotFoundError) return 404;
  if (err instanceof TransitionNotAllowedError || err instanceof VersionConflictError || err instanceof AlreadyUploadedError) return 409;
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

function fromHttpException(err: HttpException): ErrorMapping {
  const status = err.getStatus();
  const body = err.getResponse();
  const message = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? err.message);
  const code = status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : status < 500 ? 'bad_request' : 'internal_error';
  return { status, code, message };
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
