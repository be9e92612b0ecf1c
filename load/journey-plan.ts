import type { BadInputKind } from '@imagery/history/history-entry';
import type { UploadBody } from './fixture-set';

/** What one journey does, whether its choices were drawn from the seed or read from a recording. */
export interface JourneyPlan {
  /** `good`, or the bad input it sends on purpose. */
  readonly kind: 'good' | BadInputKind;
  /** The id its requests name (bad-id: the malformed id). */
  readonly id: string;
  /** What it uploads: a fixture image, or the bad file. */
  readonly image: UploadBody;
  /** Good journeys: another fixture uploaded to the same id at the same time. */
  readonly rival?: UploadBody;
  /** Good journeys: the create sent again once the image is processed. */
  readonly lateCreate?: true;
}
