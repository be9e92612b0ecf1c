import { Image } from '@imagery/domain/image';
import { processedKeyOf, rawKeyOf } from '@imagery/domain/object-keys';

/** The content hash fixture items claim for their raw object. */
export const FIXTURE_SHA256 = 'f'.repeat(64);
import { ManualClock } from './manual-clock';

/** Valid image ids for tests (v4 UUIDs). */
export const IMAGE_IDS = [
  '0b6f4c1e-8a3d-4c6e-9f2a-1d2e3f4a5b6c',
  '1c7a5d2f-9b4e-4d7f-a03b-2e3f4a5b6c7d',
  '2d8b6e3a-ac5f-4e8a-b14c-3f4a5b6c7d8e',
  '3e9c7f4b-bd6a-4f9b-825d-4a5b6c7d8e9f',
] as const;

/** An image in `state` with the fields that state implies, at the clock's start unless told. */
export function anImage(state: Image['state'], overrides: Partial<Image> = {}): Image {
  const id = overrides.id ?? IMAGE_IDS[0];
  const at = ManualClock.START;
  const base: Image = { id, version: 0, state: 'created', createdAt: at, updatedAt: at };
  const byState: Record<Image['state'], Partial<Image>> = {
    created: {},
    uploaded: { version: 1, rawS3Key: rawKeyOf(id, FIXTURE_SHA256) },
    processed: { version: 2, rawS3Key: rawKeyOf(id, FIXTURE_SHA256), processedS3Key: processedKeyOf(id) },
    failed: { version: 2, rawS3Key: rawKeyOf(id, FIXTURE_SHA256), failureReason: 'undecodable: corrupt pixel data' },
  };
  return { ...base, ...byState[state], state, ...overrides };
}
