import { InvalidImageError, PROCESSED_PREFIX } from '@imagery/domain';
import { Readable } from 'node:stream';
import { override } from '../override';
import { AdversaryDefinition } from '../adversary-definition';

const permanent = (err: unknown): never => {
  if (err instanceof InvalidImageError) throw err;
  throw new InvalidImageError('undecodable', `rendering failed: ${(err as Error)?.message ?? String(err)}`);
};

/**
 * Every error of the render step (reading the raw object, sharp, storing the rendering) is taken
 * for an undecodable image, so a transient S3 failure ends a valid image `failed` instead of
 * leaving its message to come back.
 */
export const anyErrorIsPermanent: AdversaryDefinition = {
  name: 'any-error-is-permanent',
  description: 'every error while rendering is treated as a permanent sharp error: a transient failure ends a valid image `failed`',
  // S3 cut for its window fails every render step at once; a reset of 30 % of connections is
  // mostly absorbed by the SDK's retries over keep-alive connections (it let the mutant survive).
  catchers: [
    { experiment: 's3-disrupt-connectivity', invariant: 'every-image-ends' },
    { experiment: 's3-connection-reset', invariant: 'every-image-ends' },
    { experiment: 'storm', invariant: 'every-image-ends' },
  ],
  build: {
    decorate: (p) => ({
      ...p,
      store: override(p.store, {
        get: (key: string) => p.store.get(key).catch(permanent),
        put: (key: string, body: Readable, contentType: string) =>
          key.startsWith(PROCESSED_PREFIX) ? p.store.put(key, body, contentType).catch(permanent) : p.store.put(key, body, contentType),
      }),
    }),
  },
};
