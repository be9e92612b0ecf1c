import { Writable } from 'node:stream';

/** A sink that drops everything written to it: a transform's cost without the cost of keeping its output. */
export function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}
