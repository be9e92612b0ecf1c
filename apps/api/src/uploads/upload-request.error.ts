/** A malformed upload request (not the image itself): wrong content type, no file, too large. */
export class UploadRequestError extends Error {
  constructor(readonly status: 400 | 413 | 415, readonly code: string, message: string) {
    super(message);
    this.name = 'UploadRequestError';
  }
}
