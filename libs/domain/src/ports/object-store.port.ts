import { Readable } from 'node:stream';

/** Raw uploads and processed renderings. */
export interface ObjectStore {
  /** Streams `body` to `key`, replacing what is there (keys are deterministic, so retries overwrite). */
  put(key: string, body: Readable, contentType: string): Promise<void>;
  /** A stream of the object; rejects with ObjectNotFoundError when there is none. */
  get(key: string): Promise<Readable>;
  /** Removes the object if it exists. */
  delete(key: string): Promise<void>;
  /** A short-lived URL a browser can load. */
  presignGet(key: string, expiresInSeconds: number): Promise<string>;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no object at ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}
