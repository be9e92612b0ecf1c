/** A refused upload request (not the image itself): wrong content type, no file, too large, too busy. */
export class UploadRequestError extends Error {
  constructor(
    readonly status: 400 | 413 | 415 | 503,
    readonly code: string,
    message: string,
    /** For 503: when the client may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'UploadRequestError';
  }
}
