import { AdversaryDefinition } from '../adversary-definition';
import { SeedCreateImage } from './seed-create-image';
import { SeedProcessImage } from './seed-process-image';
import { SeedUploadImage } from './seed-upload-image';

/** The book's own code path (github:AWSinAction/code, chapter13, MIT), on our ports. */
export const seedBuild: AdversaryDefinition = {
  name: 'seed',
  description: "the seed's code path: conditional writes as in its listings, Date.now() keys, no repair sweep, every error thrown",
  // First the experiment the matrix runs anyway (ack-before-durable's and processed-before-stored's
  // first catcher): the real build then need not run another one. Both killed the seed in the full matrix.
  catchers: [
    // A worker dies after recording `processed`: the redelivered message renders a second object.
    { experiment: 'crash-between-update-and-send', invariant: 'nothing-duplicated' },
    // An ambiguous UpdateItem: the upload retry stores a second raw object and sends a second
    // message; each message renders again under a new key.
    { experiment: 'updateitem-fails-mid-transition', invariant: 'nothing-duplicated' },
    // SQS unreachable: DeleteMessage fails after a job, the message comes back, the seed renders again.
    { experiment: 'sqs-outage', invariant: 'nothing-duplicated' },
  ],
  build: {
    createImage: (p) => new SeedCreateImage(p.table, p.clock),
    uploadImage: (p) => new SeedUploadImage(p.table, p.store, p.queue, p.filter, p.clock),
    processImage: (p) => new SeedProcessImage(p.table, p.store, p.filter, p.clock),
    repairSweep: false,
  },
};
