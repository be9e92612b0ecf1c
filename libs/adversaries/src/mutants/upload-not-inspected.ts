import { ImageInfo, StagedUpload } from '@imagery/domain';
import { override } from '../override';
import { AdversaryDefinition } from '../adversary-definition';

/** What a build that trusts the declared type assumes every upload is. */
const ASSUMED: ImageInfo = { format: 'jpeg', width: 0, height: 0 };

/**
 * The upload is stored without decoding its header (the check skipped as "the worker will find
 * out"): a file that is not an image, or is truncated, is acknowledged 200 instead of refused 4xx,
 * and only ends `failed` later in the worker.
 */
export const uploadNotInspected: AdversaryDefinition = {
  name: 'upload-not-inspected',
  description: 'the upload is accepted without decoding its header: bad files are answered 2xx, not 4xx',
  catchers: [
    { experiment: 'kill-worker', invariant: 'bad-input-rejected' },
    { experiment: 'sendmessage-fails', invariant: 'bad-input-rejected' },
  ],
  build: {
    decorate: (p) => ({
      ...p,
      filter: override(p.filter, { inspect: (_upload: StagedUpload) => Promise.resolve(ASSUMED) }),
    }),
  },
};
