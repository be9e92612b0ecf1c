/**
 * The errors FIS answers with. The SDK maps them by the `x-amzn-ErrorType` header (and the
 * body's `code`), so `@aws-sdk/client-fis` throws its own ValidationException etc. for them.
 */
export class FisError extends Error {
  constructor(
    readonly code: 'ValidationException' | 'ResourceNotFoundException' | 'ConflictException' | 'ServiceQuotaExceededException',
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const validationError = (message: string) => new FisError('ValidationException', 400, message);
export const notFound = (message: string) => new FisError('ResourceNotFoundException', 404, message);
export const conflict = (message: string) => new FisError('ConflictException', 409, message);
