/** Typed domain errors; the API maps each kind to one HTTP status, once. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidImageIdError extends DomainError {
  readonly code = 'invalid_image_id';
  constructor(readonly id: string) {
    // Ids come from URLs and message bodies: anything may arrive, even a non-string.
    super(`image id must be a UUID, got ${JSON.stringify(String(id).slice(0, 64))}`);
  }
}

export class ImageNotFoundError extends DomainError {
  readonly code = 'image_not_found';
  constructor(readonly id: string) {
    super(`image ${id} does not exist`);
  }
}

export class TransitionNotAllowedError extends DomainError {
  readonly code = 'transition_not_allowed';
  constructor(
    readonly id: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`image ${id} is ${from}; it cannot become ${to}`);
  }
}

/** The image already holds an upload with other content; the first acknowledged upload stays. */
export class AlreadyUploadedError extends DomainError {
  readonly code = 'already_uploaded';
  constructor(readonly id: string) {
    super(`image ${id} already has an upload with different content; create a new image process for another picture`);
  }
}

/** Someone else wrote the item since we read it; callers re-read and retry. */
export class VersionConflictError extends DomainError {
  readonly code = 'version_conflict';
  constructor(
    readonly id: string,
    readonly expectedVersion: number,
  ) {
    super(`image ${id} changed concurrently (expected version ${expectedVersion})`);
  }
}

export type InvalidImageReason = 'not_an_image' | 'undecodable' | 'too_many_pixels' | 'too_large' | 'empty';

export class InvalidImageError extends DomainError {
  readonly code = 'invalid_image';
  constructor(
    readonly reason: InvalidImageReason,
    detail: string,
  ) {
    super(detail);
  }
}
