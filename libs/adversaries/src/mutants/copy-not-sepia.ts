import { Readable } from 'node:stream';
import { override } from '../override';
import { AdversaryDefinition } from '../adversary-definition';

/**
 * The render step passes the raw bytes through (a sepia pipeline whose transform was dropped):
 * every image ends `processed`, every object exists, and the processed object is a copy of the
 * raw one. Only a check of the pixels sees it.
 */
export const copyNotSepia: AdversaryDefinition = {
  name: 'copy-not-sepia',
  description: 'the worker stores the raw bytes as the processed object: the sepia transform is skipped',
  catchers: [
    { experiment: 'kill-worker', invariant: 'sepia' },
    { experiment: 's3-connection-reset', invariant: 'sepia' },
  ],
  build: {
    decorate: (p) => ({
      ...p,
      filter: override(p.filter, { sepia: (input: Readable) => input }),
    }),
  },
};
